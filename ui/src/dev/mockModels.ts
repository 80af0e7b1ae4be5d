// Mock answers for the settings and speech-model commands (see mockBackend.ts). A download
// runs on a timer with "model-download" progress events; ?net=ok lets it finish, otherwise it
// fails the way an offline machine does. Cancel keeps the bytes (the model shows "Resume").
import { emit } from '@tauri-apps/api/event';
import type { AppSettings } from '../bindings/AppSettings';
import type { InstalledModel } from '../bindings/InstalledModel';
import type { LoadedSettings } from '../bindings/LoadedSettings';
import type { ModelDownloadProgress } from '../bindings/ModelDownloadProgress';
import type { ModelInfo } from '../bindings/ModelInfo';

const params = new URLSearchParams(window.location.search);

function model(id: string, mb: number, quantisation: string, speed: string, state: ModelInfo['state'] = 'not_installed'): ModelInfo {
  return {
    id,
    file_name: `ggml-${id}.bin`,
    size_bytes: Math.round(mb * 1e6),
    sha256: '0'.repeat(64),
    english_only: true,
    quantisation,
    speed_note: speed,
    source: 'Hugging Face ggerganov/whisper.cpp (MIT)',
    url: `https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-${id}.bin`,
    custom: false,
    state,
    partial_bytes: 0,
    message: null,
    active: false,
  };
}

const models: ModelInfo[] = [
  model('tiny.en', 77.7, 'f16', '~8x faster than real time on 1 thread', 'verified'),
  model('tiny.en-q5_1', 32.2, 'q5_1', "about tiny.en's speed, less memory"),
  model('base.en', 148.0, 'f16', '~2x slower than tiny.en: ~4x real time'),
  model('base.en-q5_1', 59.7, 'q5_1', "about base.en's speed, 40% of its size"),
  model('small.en', 487.6, 'f16', 'near real time on 1 thread, too slow for live use on 2 cores'),
];
models[3] = { ...models[3]!, state: 'partial', partial_bytes: 21_400_000, message: '21.4 of 59.7 MB downloaded; download again to resume' };

let settings: AppSettings = {
  schema_version: 2,
  // `?onboard` opens the mock at the first-start flow.
  onboarded: !params.has('onboard'),
  input_device: null,
  model_id: 'tiny.en',
  whisper_threads: null,
  use_gpu: false,
  language: 'en',
  interview_length: 'full45',
  interruption_style: 'at_pauses',
  llm: { enabled: false, base_url: '', model: '', timeout_s: 30 },
  retention: { keep_audio: true, delete_after_days: null },
  theme: 'system',
};

const loaded = (): LoadedSettings => ({
  settings,
  problems: [],
  migrated_from: null,
  env_overrides: [],
  api_key: { source: 'none', keychain_available: true, keychain_message: null },
});

let download: { id: string; cancelled: boolean } | null = null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runDownload(id: string): Promise<string> {
  const m = models.find((x) => x.id === id);
  if (!m || m.custom) throw `'${id}' is not in the model catalogue.`;
  if (download) throw 'A model is already downloading: wait for it or cancel it first.';
  const job = { id, cancelled: false };
  download = job;
  try {
    let bytes = m.partial_bytes;
    const step = m.size_bytes / 40;
    for (let i = 0; i < 12; i++) {
      await sleep(250);
      if (job.cancelled) {
        Object.assign(m, { state: 'partial', partial_bytes: bytes, message: `${(bytes / 1e6).toFixed(1)} of ${(m.size_bytes / 1e6).toFixed(1)} MB downloaded` });
        throw `download cancelled; the ${(bytes / 1e6).toFixed(1)} MB fetched so far are kept in /models/${m.file_name}.part and the next download resumes from there`;
      }
      bytes = Math.min(m.size_bytes, bytes + step);
      const p: ModelDownloadProgress = { model_id: id, phase: 'fetching', bytes, total: m.size_bytes };
      void emit('model-download', p);
      if (i === 3 && params.get('net') !== 'ok') {
        Object.assign(m, { state: 'partial', partial_bytes: bytes, message: `${(bytes / 1e6).toFixed(1)} of ${(m.size_bytes / 1e6).toFixed(1)} MB downloaded` });
        throw `the download from ${m.url} stopped 4 times (io: failed to lookup address information: Name or service not known); ${(bytes / 1e6).toFixed(1)} MB are kept and the next download resumes`;
      }
    }
    void emit('model-download', { model_id: id, phase: 'verifying', bytes: m.size_bytes, total: m.size_bytes } satisfies ModelDownloadProgress);
    await sleep(400);
    Object.assign(m, { state: 'verified', partial_bytes: 0, message: null });
    return `/models/${m.file_name}`;
  } finally {
    download = null;
  }
}

/** The answer to a settings or model command, or undefined when `cmd` is not one. */
export function handleModelCommand(cmd: string, args: Record<string, unknown>): Promise<unknown> | unknown {
  switch (cmd) {
    case 'get_settings':
      return loaded();
    case 'save_settings':
      settings = args.settings as AppSettings;
      return loaded();
    case 'find_local_llm_servers':
      // As if Ollama were running with two models pulled.
      return [{ name: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', models: ['qwen2.5:7b', 'llama3.2:3b'] }];
    case 'list_models':
      return models.map((m) => ({ ...m, active: m.id === settings.model_id }));
    case 'download_model':
      return runDownload(String(args.id));
    case 'cancel_download':
      if (download) download.cancelled = true;
      return null;
    case 'install_model_file': {
      const path = String(args.path);
      if (!path.endsWith('.bin')) throw `${path} is not a whisper model: the file does not start with ggml's magic number`;
      const name = (path.split('/').pop() ?? 'model').replace(/^ggml-/, '').replace(/\.bin$/, '');
      const id = `custom/${name}`;
      if (!models.some((m) => m.id === id)) {
        models.push({ ...model(name, 80, 'unknown', 'not known (custom model)', 'verified'), id, custom: true, url: null, sha256: '' });
      }
      const installed: InstalledModel = {
        id,
        path: `/models/custom/${name}.bin`,
        custom: true,
        warning: `${path} matches no model in the catalogue, so its bytes could not be checked against a known checksum; it is installed as the custom model '${id}'`,
      };
      return installed;
    }
    default:
      return undefined;
  }
}
