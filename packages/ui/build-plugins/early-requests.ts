/**
 * A Vite build plugin: writes into index.html a script that starts, with the HTML, the requests
 * a page opened from a link makes first — who is signed in, then the page's runs search (with the
 * session's CSRF token, which a POST needs when sign-in is on; without a session cookie, as the
 * readable marker beside it tells, the search does not wait for it): an experiment page with a plain URL
 * (`/experiments/<id>`, no query: the link everyone follows) asks for its first runs page, the
 * compare page (`/compare?exp=<id>&runs=<id>…&metric=<key>`) for its runs and the charts its URL names, and
 * both the experiment they show (its description arriving after the runs moved the table down). The app adopts them
 * (src/api/early-requests.ts) instead of asking again once its own code has loaded, about 0.3 s
 * later on a slow machine. A page of a workspace (`/workspaces/<name>/…`) asks under its API
 * prefix (`/w/<name>`), as the app does. Written at the top of <head>: an inline script after a stylesheet link
 * waits for the stylesheet to load. ES5, no library: it runs before anything else.
 */
import type { Plugin } from 'vite';
// A relative path: Vite loads its config (and this plugin) with Node, which cannot import the package's TypeScript entry.
import { SIGNED_IN_COOKIE } from '../../protocol/src/trove/identity.ts';
import {
  DEFAULT_RUN_SEARCH_BODY,
  EXPERIMENT_GET_PATH,
  EXPERIMENT_ID_SLOT,
  RUN_SEARCH_PATH,
} from '../src/api/early-search.ts';
import { MAX_COMPARED_RUNS } from '../src/features/compare/compare-state.ts';
import { CHART_POINT_BUDGET, FEWEST_POINTS_PER_RUN, MOST_POINTS_PER_RUN } from '../src/lib/chart-points.ts';

export function earlyRequestsScript(): string {
  const [before, after] = DEFAULT_RUN_SEARCH_BODY.split(EXPERIMENT_ID_SLOT);
  // The compare page's search body and chart URLs are built as features/compare/queries.ts and
  // api/charts.ts build them (JSON.stringify of the same fields in the same order, ids quoted with
  // \' escaped; URLSearchParams in the same order, points per run as lib/chart-points.ts shares
  // them); packages/ui/test/early-requests.test.ts checks they agree.
  return `(function(){try{
var e=window.__troveEarly={requests:[]};
e.me=fetch('/api/trove/v1/auth/me',{headers:{'x-trove-ui':'1'}}).then(function(r){return r.ok?r.json():{auth_enabled:false}}).catch(function(){return{auth_enabled:false}});
var signedIn=/(?:^|;\\s*)${SIGNED_IN_COOKIE}=/.test(document.cookie);
function post(url,body,s){var h={'x-trove-ui':'1','content-type':'application/json'};if(s&&s.auth_enabled&&s.csrf_token)h['x-csrf-token']=s.csrf_token;return fetch(url,{method:'POST',headers:h,body:body})}
function search(prefix,body){var url=prefix+${JSON.stringify(RUN_SEARCH_PATH)};e.requests.push({method:'POST',url:url,body:body,response:signedIn?e.me.then(function(s){return post(url,body,s)}):post(url,body)})}
function get(url){e.requests.push({method:'GET',url:url,body:undefined,response:fetch(url,{headers:{'x-trove-ui':'1'}})})}
if(location.hash)return;
function api(w){if(!w)return'';try{w=decodeURIComponent(w)}catch(x){}return w==='default'?'':'/w/'+encodeURIComponent(w)}
function experiment(prefix,id){if(typeof URLSearchParams!=='function')return;var p=new URLSearchParams();p.append('experiment_id',id);get(prefix+${JSON.stringify(EXPERIMENT_GET_PATH)}+'?'+p.toString())}
var m=/^(?:\\/workspaces\\/([^/?#]+))?\\/experiments\\/([^/]+)\\/?$/.exec(location.pathname);
if(m&&!location.search){var id=decodeURIComponent(m[2]);experiment(api(m[1]),id);search(api(m[1]),${JSON.stringify(before)}+JSON.stringify(id)+${JSON.stringify(after)});return}
var c=/^(?:\\/workspaces\\/([^/?#]+))?\\/compare\\/?$/.exec(location.pathname);
if(!c||typeof URLSearchParams!=='function')return;
var q=new URLSearchParams(location.search),exp=q.get('exp'),ids=q.getAll('runs').slice(0,${MAX_COMPARED_RUNS});
if(ids.length===0||(ids.length===1&&ids[0]===''))return;
var points=Math.min(${MOST_POINTS_PER_RUN},Math.max(${FEWEST_POINTS_PER_RUN},Math.floor(${CHART_POINT_BUDGET}/ids.length)));
var metrics=q.getAll('metric');
for(var k=0;k<metrics.length;k++){if(!metrics[k])continue;var p=new URLSearchParams();p.append('metric_key',metrics[k]);for(var j=0;j<ids.length;j++)p.append('run_ids',ids[j]);p.append('points',String(points));get(api(c[1])+'/api/trove/v1/metrics/chart?'+p.toString())}
if(!exp)return;
experiment(api(c[1]),exp);
var quoted=[];for(var i=0;i<ids.length;i++)quoted.push("'"+ids[i].split("'").join("\\\\'")+"'");
search(api(c[1]),JSON.stringify({experiment_ids:[exp],filter:'attributes.run_id IN ('+quoted.join(', ')+')',run_view_type:'ALL',max_results:ids.length}));
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
