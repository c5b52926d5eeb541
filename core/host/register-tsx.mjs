// From a checkout the TypeScript sources run through tsx, registered by each thread's first module (the CLI's
// bin.mjs, a worker's worker-boot.mjs). tsx's registered loader also takes in the big bundled JavaScript of
// @huggingface/transformers, and that cost a thread ~150 MiB more than Node's own loader: a thread embedding
// passages took 300 MiB vs 163 MiB, the CLI's main thread 201 vs 58 MiB (measured with process RSS). Loading that
// package through Node first keeps it cheap; the sources' later imports of it get the same module instance. A
// thread that never tokenises (the embedding thread) passes `preload: []`.
export async function registerTsx(preload = ['@huggingface/transformers']) {
  for (const name of preload) await import(name);
  const { register } = await import('tsx/esm/api');
  register();
}
