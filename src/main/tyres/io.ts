// A tfjs IOHandler that keeps model artifacts as two files in a folder: model.json (topology/config, weight specs,
// metadata) and weights.bin. Writes go to temporary names first and are renamed, so a crash never leaves half a model.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { DataError } from '../data/errors.js';

interface ModelJson {
  format: string;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

export type FileHandler = Required<Pick<io.IOHandler, 'save' | 'load'>>;

export function fileHandler(dir: string, format = 'pitwall-tfjs/1'): FileHandler {
  const jsonPath = join(dir, 'model.json');
  const binPath = join(dir, 'weights.bin');
  return {
    async save(a: io.ModelArtifacts): Promise<io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const data = a.weightData === undefined ? new ArrayBuffer(0) : a.weightData;
      const buf = Array.isArray(data) ? Buffer.concat(data.map((d) => Buffer.from(d))) : Buffer.from(data);
      const json: ModelJson = {
        format,
        modelTopology: a.modelTopology ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
        ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata as Record<string, unknown> } : {}),
      };
      writeFileSync(`${binPath}.tmp`, buf);
      writeFileSync(`${jsonPath}.tmp`, JSON.stringify(json));
      renameSync(`${binPath}.tmp`, binPath);
      renameSync(`${jsonPath}.tmp`, jsonPath);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: buf.byteLength } };
    },
    async load(): Promise<io.ModelArtifacts> {
      if (!existsSync(jsonPath)) throw new DataError('model file not found', jsonPath);
      let json: ModelJson;
      try {
        json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
      } catch (e) {
        throw new DataError(`not valid JSON (${(e as Error).message})`, jsonPath);
      }
      if (json.format !== format) throw new DataError(`format "${json.format}", expected "${format}"`, jsonPath, undefined, 'format');
      const bin = readFileSync(binPath);
      const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
      const a: io.ModelArtifacts = {
        modelTopology: (json.modelTopology ?? {}) as object,
        weightSpecs: json.weightsManifest.flatMap((m) => m.weights),
        weightData,
      };
      if (json.userDefinedMetadata) a.userDefinedMetadata = json.userDefinedMetadata as Record<string, object>;
      return a;
    },
  };
}
