// The filter lexer lives in @trove/protocol, shared with the UI's filter box (in its tolerant
// mode); the parser uses it strict, under the names it has always read.
export {
  type FilterToken as Token,
  type FilterTokenKind as TokenKind,
  filterSyntaxError as syntaxError,
  tokenizeFilter as tokenize,
} from '@trove/protocol';
