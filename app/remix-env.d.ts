import "@remix-run/node";

// Single fetch types loader and action data as the values they return.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
