// Mirror of local tracking to an MLflow server over its REST API (when MLFLOW_TRACKING_URI is set).
// Respects runs/log-batch limits: ≤ 1000 metrics, ≤ 100 params, ≤ 100 tags per call (and ≤ 1000 items in total).

export interface MlflowRunData {
  experiment: string;
  runName: string;
  startTime: number;
  endTime: number;
  status: 'FINISHED' | 'FAILED';
  params: Record<string, string>;
  metrics: { key: string; value: number; step: number; timestamp: number }[];
  tags: Record<string, string>;
  artifacts: { path: string; data: Uint8Array }[];
}

export class MlflowClient {
  constructor(readonly base: string) {}

  static fromEnv(): MlflowClient | null {
    const uri = process.env.MLFLOW_TRACKING_URI;
    return uri && /^https?:\/\//.test(uri) ? new MlflowClient(uri.replace(/\/+$/, '')) : null;
  }

  private async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const url = `${this.base}/api/2.0/mlflow/${path}`;
    const res = await fetch(
      method === 'GET' && body ? `${url}?${new URLSearchParams(body as Record<string, string>)}` : url,
      {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      },
    );
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as T & { error_code?: string; message?: string };
    if (!res.ok)
      throw Object.assign(
        new Error(`MLflow ${path}: ${res.status} ${json.error_code ?? ''} ${json.message ?? text}`),
        { code: json.error_code },
      );
    return json;
  }

  async experimentId(name: string): Promise<string> {
    try {
      const r = await this.call<{ experiment: { experiment_id: string } }>('GET', 'experiments/get-by-name', {
        experiment_name: name,
      });
      return r.experiment.experiment_id;
    } catch (e) {
      if ((e as { code?: string }).code !== 'RESOURCE_DOES_NOT_EXIST') throw e;
      return (await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name }))
        .experiment_id;
    }
  }

  /** Creates the run, logs everything in limited batches, uploads artifacts, closes it. Returns the MLflow run id. */
  async mirrorRun(d: MlflowRunData): Promise<string> {
    const experiment_id = await this.experimentId(d.experiment);
    const run = await this.call<{ run: { info: { run_id: string } } }>('POST', 'runs/create', {
      experiment_id,
      run_name: d.runName,
      start_time: d.startTime,
      tags: [{ key: 'mlflow.runName', value: d.runName }],
    });
    const run_id = run.run.info.run_id;
    const params = Object.entries(d.params).map(([key, value]) => ({ key, value: value.slice(0, 6000) }));
    const tags = Object.entries(d.tags).map(([key, value]) => ({ key, value }));
    let pi = 0;
    let ti = 0;
    let mi = 0;
    while (pi < params.length || ti < tags.length || mi < d.metrics.length) {
      const p = params.slice(pi, pi + 100);
      const t = tags.slice(ti, ti + 100);
      const m = d.metrics.slice(mi, mi + Math.min(1000, 1000 - p.length - t.length));
      pi += p.length;
      ti += t.length;
      mi += m.length;
      await this.call('POST', 'runs/log-batch', { run_id, params: p, tags: t, metrics: m });
    }
    for (const a of d.artifacts) {
      const res = await fetch(
        `${this.base}/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${run_id}/artifacts/${a.path}`,
        {
          method: 'PUT',
          body: a.data,
        },
      );
      if (!res.ok) throw new Error(`MLflow artifact upload ${a.path}: ${res.status}`);
    }
    await this.call('POST', 'runs/update', { run_id, status: d.status, end_time: d.endTime });
    return run_id;
  }

  /** Registers a model version from a run (creating the registered model if needed); returns the MLflow version. */
  async registerVersion(name: string, runId: string, source: string, description: string): Promise<string> {
    try {
      await this.call('POST', 'registered-models/create', { name });
    } catch (e) {
      if ((e as { code?: string }).code !== 'RESOURCE_ALREADY_EXISTS') throw e;
    }
    const r = await this.call<{ model_version: { version: string } }>('POST', 'model-versions/create', {
      name,
      source,
      run_id: runId,
      description,
    });
    return r.model_version.version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version });
  }
}
