/** One informer over all namespaces, or one per namespace when the controller watches a few. */
import { Informer, type InformerOptions, type KubeObject } from './informer.js';

export class InformerSet<T extends KubeObject> {
  readonly #informers = new Map<string | undefined, Informer<T>>();

  /** `namespaces` undefined: all namespaces. `pathOf` gives the collection path for one (or all). */
  constructor(
    namespaces: string[] | undefined,
    pathOf: (namespace?: string) => string,
    options: Omit<InformerOptions<T>, 'path' | 'description'>,
    what: string,
  ) {
    for (const namespace of namespaces ?? [undefined]) {
      const description = namespace === undefined ? `${what} in all namespaces` : `${what} in ${namespace}`;
      this.#informers.set(namespace, new Informer<T>({ ...options, path: pathOf(namespace), description }));
    }
  }

  get(namespace: string, name: string): T | undefined {
    return (this.#informers.get(namespace) ?? this.#informers.get(undefined))?.get(namespace, name);
  }

  get size(): number {
    let size = 0;
    for (const informer of this.#informers.values()) size += informer.size;
    return size;
  }

  async start(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((informer) => informer.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((informer) => informer.stop()));
  }
}
