export { dashboardRouter, dashboardSecurityHeaders, DASHBOARD_DIR, type DashboardOptions } from './router.js';
