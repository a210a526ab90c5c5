/**
 * A Vite build plugin: writes into index.html a script that starts, with the HTML, the requests
 * a page opened from a link makes first — who is signed in, then the page's runs search (with the
 * session's CSRF token, which a POST needs when sign-in is on): an experiment page with a plain URL
 * (`/experiments/<id>`, no query: the link everyone follows) asks for its first runs page, the
 * compare page (`/compare?exp=<id>&runs=<id>…`) for its runs. The app adopts them
 * (src/api/early-requests.ts) instead of asking again once its own code has loaded, about 0.3 s
 * later on a slow machine. Written at the top of <head>: an inline script after a stylesheet link
 * waits for the stylesheet to load. ES5, no library: it runs before anything else.
 */
import type { Plugin } from 'vite';
import { DEFAULT_RUN_SEARCH_BODY, EXPERIMENT_ID_SLOT, RUN_SEARCH_PATH } from '../src/api/early-search.ts';
import { MAX_COMPARED_RUNS } from '../src/features/compare/compare-state.ts';

export function earlyRequestsScript(): string {
  const [before, after] = DEFAULT_RUN_SEARCH_BODY.split(EXPERIMENT_ID_SLOT);
  // The compare body is built as features/compare/queries.ts builds it (JSON.stringify of the same
  // fields in the same order, ids quoted with \' escaped); packages/ui/test/early-requests.test.ts
  // checks the two agree.
  return `(function(){try{
var e=window.__troveEarly={};
e.me=fetch('/api/trove/v1/auth/me',{headers:{'x-trove-ui':'1'}}).then(function(r){return r.ok?r.json():{auth_enabled:false}}).catch(function(){return{auth_enabled:false}});
function search(prefix,body){var url=(prefix||'')+${JSON.stringify(RUN_SEARCH_PATH)};e.requests=[{method:'POST',url:url,body:body,response:e.me.then(function(s){var h={'x-trove-ui':'1','content-type':'application/json'};if(s.auth_enabled&&s.csrf_token)h['x-csrf-token']=s.csrf_token;return fetch(url,{method:'POST',headers:h,body:body})})}]}
if(location.hash)return;
var m=/^(\\/w\\/[^/]+)?\\/experiments\\/([^/]+)\\/?$/.exec(location.pathname);
if(m&&!location.search){search(m[1],${JSON.stringify(before)}+JSON.stringify(decodeURIComponent(m[2]))+${JSON.stringify(after)});return}
var c=/^(\\/w\\/[^/]+)?\\/compare\\/?$/.exec(location.pathname);
if(!c||typeof URLSearchParams!=='function')return;
var q=new URLSearchParams(location.search),exp=q.get('exp'),ids=q.getAll('runs').slice(0,${MAX_COMPARED_RUNS});
if(!exp||ids.length===0||(ids.length===1&&ids[0]===''))return;
var quoted=[];for(var i=0;i<ids.length;i++)quoted.push("'"+ids[i].split("'").join("\\\\'")+"'");
search(c[1],JSON.stringify({experiment_ids:[exp],filter:'attributes.run_id IN ('+quoted.join(', ')+')',run_view_type:'ALL',max_results:ids.length}));
}catch(x){}})();`;
}

export function earlyRequests(): Plugin {
  return {
    name: 'trove-early-requests',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'script', children: earlyRequestsScript(), injectTo: 'head-prepend' }],
    },
  };
}
