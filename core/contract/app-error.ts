// An exception that carries the AppError the user will see; each layer's error class is one of these.
import type { AppError } from './api.js';

export class AppErrorException extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message);
    this.name = new.target.name;
    this.appError = appError;
  }
}
