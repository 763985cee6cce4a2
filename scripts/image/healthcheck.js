// The image's HEALTHCHECK (no curl in the slim image): exit 0 when GET /health/ready answers 200.
// Asks the port the app listens on (HTTP_PORT), on loopback unless HTTP_HOST names one address.
'use strict';
const http = require('node:http');

const port = Number(process.env.HTTP_PORT || 3000);
const bound = process.env.HTTP_HOST;
const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;

const request = http.get({ host, port, path: '/health/ready', timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', (error) => {
  console.error(`healthcheck: ${error.message}`);
  process.exit(1);
});
