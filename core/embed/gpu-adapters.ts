// Whether a GPU provider is worth trying here, before trying it: the CUDA add-on file must be installed, and
// WebGPU on Linux needs a hardware Vulkan driver. Dawn would take Mesa's lavapipe or SwiftShader (CPU renderers
// behind a GPU API, slower than running the model on the CPU directly) where no hardware driver exists, and
// without any driver it prints a native warning on every session start; so both are refused here with a reason.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

/** null when the provider may be tried; otherwise why not, in the user's words. */
export function providerUnavailableReason(provider: string, env: Record<string, string | undefined> = process.env, platform = process.platform): string | null {
  if (provider === 'cuda' && platform === 'linux' && !cudaAddonInstalled()) {
    return 'the CUDA add-on is not installed (ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js)';
  }
  if (provider === 'webgpu' && platform === 'linux') {
    const drivers = vulkanDrivers(env);
    if (!drivers.length) return 'no Vulkan driver is installed (WebGPU runs on Vulkan on Linux: install your GPU vendor\'s Vulkan driver)';
    const hardware = drivers.filter((d) => !isSoftwareDriver(d));
    if (!hardware.length) return `only a software Vulkan driver is installed (${drivers.map((d) => d.name).join(', ')}), which is slower than the CPU provider`;
  }
  return null;
}

/** The folder of onnxruntime-node's native binding, where the CUDA add-on's .so files are installed. */
export function onnxruntimeBinDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

export function cudaAddonInstalled(): boolean {
  const dir = onnxruntimeBinDir();
  return !!dir && existsSync(join(dir, 'libonnxruntime_providers_cuda.so'));
}

export interface VulkanDriver { name: string; library: string }

/** The Vulkan ICDs the loader would see: VK_DRIVER_FILES / VK_ICD_FILENAMES, else the standard manifest folders. */
export function vulkanDrivers(env: Record<string, string | undefined> = process.env): VulkanDriver[] {
  const listed = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  const files = listed
    ? listed.split(delimiter).filter(Boolean)
    : ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', join(env.XDG_DATA_HOME ?? '', 'vulkan/icd.d')]
      .flatMap((d) => { try { return readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)); } catch { return []; } });
  return files.flatMap((f) => {
    try {
      const icd = JSON.parse(readFileSync(f, 'utf8')) as { ICD?: { library_path?: string } };
      return [{ name: f.split('/').pop()!, library: icd.ICD?.library_path ?? '' }];
    } catch {
      return [];
    }
  });
}

/** Mesa's lavapipe (lvp_icd), SwiftShader and other CPU rasterisers. */
export function isSoftwareDriver(d: VulkanDriver): boolean {
  return /lvp|lavapipe|swiftshader|swrast|llvmpipe/i.test(`${d.name} ${d.library}`);
}
