import { AsyncEntry, Entry } from '@napi-rs/keyring';
for (const opts of [undefined, { linux: { store: 'secret-service' } }, { linux: { store: 'keyutils' } }]) {
  const t0 = performance.now();
  try {
    const e = new AsyncEntry('fedlogin-probe', 'probe', opts);
    const v = await e.getPassword(AbortSignal.timeout(300));
    console.log(JSON.stringify(opts), 'get ok', v, (performance.now()-t0).toFixed(1));
    await e.setPassword('x');
    console.log('set ok', await e.getPassword(), await e.deletePassword());
  } catch (err) { console.log(JSON.stringify(opts), 'err', err?.code, err?.name, String(err?.message), (performance.now()-t0).toFixed(1)); }
}
