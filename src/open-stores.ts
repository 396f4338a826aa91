/**
 * Opens the database once for both ports that live in it: the Store (model) and the OcpiStore (OCPI
 * platforms, push queue, read models). Used by the composition root, the operator CLI and tests that
 * need the real database; the OCPI and status-page folders never open the store themselves.
 */
import type { OcpiStore } from './domain/ocpi-ports.js';
import type { Store } from './domain/ports.js';
import { openOcpiStore } from './store/ocpi-store.js';
import { openStore } from './store/sqlite-store.js';

export function openStores(options: Parameters<typeof openStore>[0]): { store: Store & { sqlite: unknown }; ocpiStore: OcpiStore } {
  const store = openStore(options);
  try {
    return { store, ocpiStore: openOcpiStore(store.sqlite, options.path, { durable: () => store.durable() }) };
  } catch (err) {
    store.close();
    throw err;
  }
}
