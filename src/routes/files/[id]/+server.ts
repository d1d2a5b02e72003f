import type { RequestHandler } from './$types';
import { serveFile } from './serve';

export const GET: RequestHandler = (event) => serveFile(event, 'original');
