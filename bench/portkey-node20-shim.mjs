// Loaded into Portkey's gateway process by bench/gateway.mjs (`node --import`). On Node 20, Portkey 1.15.2
// answers every stream with a 500 ("TypeError: immutable"): it appends its own x-portkey-* headers to the
// upstream fetch Response, whose headers Node's fetch makes immutable. This lets those writes fail quietly
// (the x-portkey-* headers of streams are lost), so streams can be measured at all. Nothing else changes.
const { append, delete: remove, set } = Headers.prototype;
const quiet = (method) =>
  function (...args) {
    try {
      return method.apply(this, args);
    } catch (error) {
      if (error instanceof TypeError && error.message === 'immutable') return undefined;
      throw error;
    }
  };
Headers.prototype.append = quiet(append);
Headers.prototype.delete = quiet(remove);
Headers.prototype.set = quiet(set);
