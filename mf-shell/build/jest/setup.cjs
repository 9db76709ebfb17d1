// jsdom has no fetch, no WebSocket worth opening and no <dialog> methods; the kit only needs them to exist.
globalThis.fetch ??= () => Promise.reject(new Error('no network in unit tests'));
if (typeof HTMLDialogElement !== 'undefined') {
  HTMLDialogElement.prototype.showModal ??= function showModal() {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function close() {
    this.open = false;
  };
}
