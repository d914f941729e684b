// axios publishes no types for its CommonJS build path; transport.ts needs only getAdapter.
declare module 'axios/dist/node/axios.cjs' {
  const axios: { getAdapter(name: string): unknown };
  export default axios;
}
