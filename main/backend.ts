/**
 * The backend's entry point for its callers (Electron, the CLI, tests). It is composed in
 * main/app/: services.ts builds the services, backend.ts opens the backend on a database.
 */
export { createServices, type ServicePaths, type Services } from './app/services';
export { openBackend, signingKeySealer, type Backend, type BackendOptions } from './app/backend';
