import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client for an app started in-process, authenticated with one API key. */
export class HttpClient {
  private readonly base: string;

  constructor(
    app: INestApplication,
    private readonly apiKey: string | null,
  ) {
    const address = (app.getHttpServer() as Server).address() as AddressInfo;
    this.base = `http://127.0.0.1:${address.port}`;
  }

  withKey(apiKey: string | null): HttpClient {
    const client = Object.create(HttpClient.prototype) as HttpClient;
    Object.assign(client, { base: this.base, apiKey });
    return client;
  }

  get<T = unknown>(path: string): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  put<T = unknown>(path: string, body?: unknown): Promise<HttpResponse<T>> {
    return this.request<T>('PUT', path, body);
  }

  patch<T = unknown>(path: string, body?: unknown): Promise<HttpResponse<T>> {
    return this.request<T>('PATCH', path, body);
  }

  /** A request as given (any content type and body), answered as text. */
  async raw(method: string, path: string, init: { contentType?: string; body?: string } = {}) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<T>> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: response.headers,
    };
  }
}
