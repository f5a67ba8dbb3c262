// Filled in by the issue that owns these endpoints.
export {};
