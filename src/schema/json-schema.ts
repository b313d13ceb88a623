import { z } from 'zod';
import { HardwareFileSchema } from './hardware.ts';
import { ModelFileSchema } from './model.ts';

/** JSON Schemas for the file formats, keyed by the file name they are written to under schemas/. */
export function jsonSchemas(): Record<string, unknown> {
  return {
    'hardware-profile': z.toJSONSchema(HardwareFileSchema, { io: 'input', unrepresentable: 'any' }),
    'model-profile': z.toJSONSchema(ModelFileSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
