export { EDGE_ROUTES, routeFor, type EdgeRoute, type Upstream } from './route-table.ts';
export { renderNginxConfig, type NginxOptions } from './render-nginx.ts';
export { startEdge, type EdgeOptions } from './edge.ts';
