import { TINY_PNG_BASE64 } from '../auto-images.js';
import type { CaseSpec } from './case-spec.js';
import { check, equal, fail } from './conformance-assert.js';

const VECTORS = [
  [0.25, -0.5, 0.125],
  [0.75, 0.5, -0.25],
  [-0.125, 0.0625, 1],
];

export const mediaCases: readonly CaseSpec[] = [
  {
    name: 'embeddings: embed returns one vector per input, in input order',
    capability: 'embeddings',
    needs: [{ kit: 'embeddings' }, { model: 'embedding' }],
    async run({ server, llm, wire, model }) {
      server.enqueue(wire.embeddings?.(VECTORS) ?? fail('embeddings'));
      const vectors = await llm.embed(['alpha', 'beta', 'gamma'], { model: model('embedding') });
      equal(vectors, VECTORS, 'vectors');
      equal(server.requests.length, 1, 'requests sent');
    },
  },
  {
    name: 'images: createImage returns the images with their bytes and MIME type',
    capability: 'images',
    needs: [{ kit: 'images' }, { model: 'image' }],
    async run({ server, llm, wire, model }) {
      server.enqueue(wire.images?.([{ mimeType: 'image/png', base64: TINY_PNG_BASE64 }]) ?? fail('images'));
      const response = await llm.createImage('a red square', { model: model('image') });
      equal(response.images.length, 1, 'images');
      const [image] = response.images;
      equal(image?.mimeType, 'image/png', 'images[0].mimeType');
      check(
        Buffer.from(image?.data ?? []).equals(Buffer.from(TINY_PNG_BASE64, 'base64')),
        'images[0].data holds the PNG bytes',
      );
      equal(response.model, model('image'), 'response.model');
    },
  },
  {
    name: 'vision: an image part of the user turn reaches the provider, with no warning',
    capability: 'vision',
    needs: [{ kit: 'read.imageInputs' }, { model: 'vision' }],
    async run({ server, llm, wire, chat, model, bodies }) {
      server.enqueue(chat.text('A red square.'));
      const response = await llm.chat(
        [
          { type: 'text', text: 'What is this?' },
          { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
        ],
        { model: model('vision') },
      );
      equal(response.text, 'A red square.', 'response.text');
      equal(response.warnings, [], 'response.warnings');
      equal(wire.read.imageInputs?.(bodies()[0]), 1, 'images in the request');
    },
  },
];
