// comlink ships the Node adapter's types beside the .mjs file but maps no path to them.
declare module 'comlink/dist/esm/node-adapter.mjs' {
	export { default } from 'comlink/dist/esm/node-adapter';
}
