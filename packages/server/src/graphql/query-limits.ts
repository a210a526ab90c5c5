import {
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  Lexer,
  type SelectionSetNode,
  type Source,
  TokenKind,
  type ValidationRule,
} from 'graphql';

/**
 * Bounds on one GraphQL document. MLflow sets none; its UI's largest query (the run page's) has
 * about 150 tokens, 6 levels of fields and one root field, so these leave ample room while keeping
 * a hostile document from costing more than a request should.
 */
export const QUERY_LIMITS = {
  /** Lexical tokens in the document (graphql-js's own `maxTokens`). */
  tokens: 10_000,
  /** Open `{`, `(` or `[` at once: checked before parsing, as the parser recurses per level. */
  nesting: 64,
  /** Levels of fields in the operation, counted through fragments; the standard introspection query needs 15. */
  depth: 16,
  /** Distinct root fields (aliases count) in the operation: each may run a search. */
  rootFields: 20,
  /**
   * Aliased fields at any level, counted through fragments as often as they are spread: aliases
   * repeat a field's work within one request (CVE-2025-0453, MLflow's GraphQL batch DoS). MLflow's
   * UI sends none.
   */
  aliases: 50,
} as const;

const OPENERS = new Set<string>([TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L]);
const CLOSERS = new Set<string>([TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R]);

/**
 * Scans the document's tokens without parsing (the lexer does not recurse) and reports one that
 * is too long or nested too deep for the recursive parser; undefined when it may be parsed.
 * Throws the lexer's syntax errors (GraphQLError), as `parse` would.
 */
export function scanDocument(source: Source): GraphQLError | undefined {
  const lexer = new Lexer(source);
  let tokens = 0;
  let open = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > QUERY_LIMITS.tokens)
      return new GraphQLError(`Document has more than ${QUERY_LIMITS.tokens} tokens.`);
    if (OPENERS.has(token.kind) && ++open > QUERY_LIMITS.nesting)
      return new GraphQLError(`Document nests more than ${QUERY_LIMITS.nesting} levels deep.`);
    if (CLOSERS.has(token.kind)) open--;
  }
  return undefined;
}

/**
 * Rejects an operation deeper than `QUERY_LIMITS.depth` levels of fields, with more than
 * `QUERY_LIMITS.rootFields` root fields, or with more than `QUERY_LIMITS.aliases` aliases.
 */
export const OperationLimits: ValidationRule = (context) => {
  const fragmentDepth = new Map<string, number>();
  const fragmentAliases = new Map<string, number>();
  const tooMany = QUERY_LIMITS.aliases + 1;

  // Saturates at `tooMany`, so fragments spread exponentially often cost no more than the limit.
  const aliasesOf = (set: SelectionSetNode | undefined, inProgress: Set<string>): number => {
    let count = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) count += (s.alias ? 1 : 0) + aliasesOf(s.selectionSet, inProgress);
      else if (s.kind === Kind.INLINE_FRAGMENT) count += aliasesOf(s.selectionSet, inProgress);
      else {
        const name = s.name.value;
        let n = fragmentAliases.get(name);
        if (n === undefined && !inProgress.has(name)) {
          inProgress.add(name);
          n = aliasesOf(context.getFragment(name)?.selectionSet, inProgress);
          inProgress.delete(name);
          fragmentAliases.set(name, n);
        }
        count += n ?? 0;
      }
      if (count >= tooMany) return tooMany;
    }
    return count;
  };

  const depthOf = (set: SelectionSetNode | undefined, inProgress: Set<string>): number => {
    let deepest = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + depthOf(s.selectionSet, inProgress));
      else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, inProgress));
      else deepest = Math.max(deepest, fragmentDepthOf(context.getFragment(s.name.value), inProgress));
    }
    return deepest;
  };
  // Memoised per fragment, so fragments spread many times cost once; cycles (reported by
  // NoFragmentCyclesRule) count as no depth.
  const fragmentDepthOf = (fragment: FragmentDefinitionNode | null | undefined, inProgress: Set<string>): number => {
    if (!fragment || inProgress.has(fragment.name.value)) return 0;
    let depth = fragmentDepth.get(fragment.name.value);
    if (depth === undefined) {
      inProgress.add(fragment.name.value);
      depth = depthOf(fragment.selectionSet, inProgress);
      inProgress.delete(fragment.name.value);
      fragmentDepth.set(fragment.name.value, depth);
    }
    return depth;
  };

  const rootKeys = (set: SelectionSetNode, keys: Set<string>, seen: Set<string>): Set<string> => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) keys.add((s.alias ?? s.name).value);
      else if (s.kind === Kind.INLINE_FRAGMENT) rootKeys(s.selectionSet, keys, seen);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = context.getFragment(s.name.value);
        if (fragment) rootKeys(fragment.selectionSet, keys, seen);
      }
    }
    return keys;
  };

  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, new Set());
      if (depth > QUERY_LIMITS.depth) {
        context.reportError(
          new GraphQLError(`Operation nests fields ${depth} levels deep; at most ${QUERY_LIMITS.depth} are allowed.`, {
            nodes: node,
          }),
        );
      }
      const roots = rootKeys(node.selectionSet, new Set(), new Set()).size;
      if (roots > QUERY_LIMITS.rootFields) {
        context.reportError(
          new GraphQLError(`Operation selects ${roots} root fields; at most ${QUERY_LIMITS.rootFields} are allowed.`, {
            nodes: node,
          }),
        );
      }
      const aliases = aliasesOf(node.selectionSet, new Set());
      if (aliases > QUERY_LIMITS.aliases) {
        context.reportError(
          new GraphQLError(`Operation uses more than ${QUERY_LIMITS.aliases} aliases.`, { nodes: node }),
        );
      }
      return false;
    },
  };
};
