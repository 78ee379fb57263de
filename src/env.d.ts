/** The production build's id (vite.config.ts `define`): the service worker's cache is named after it. */
declare const __LATENTFLOW_BUILD__: string;
