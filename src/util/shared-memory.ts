/** Typed arrays in shared memory, for worker threads that read the caller's copy instead of one each. */

type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

type TypedArrayClass<T extends TypedArray> = {
  new (buffer: SharedArrayBuffer): T;
  BYTES_PER_ELEMENT: number;
};

/** A zeroed typed array of `length` elements over a SharedArrayBuffer. */
export function sharedArray<T extends TypedArray>(Make: TypedArrayClass<T>, length: number): T {
  return new Make(new SharedArrayBuffer(length * Make.BYTES_PER_ELEMENT));
}

/** A copy of `array` in shared memory, always a new one. */
export function sharedCopy<T extends TypedArray>(array: T): T {
  const copy = sharedArray(array.constructor as TypedArrayClass<T>, array.length);
  (copy as { set(values: ArrayLike<number>): void }).set(array);
  return copy;
}

/** `array` itself when it already lives in a SharedArrayBuffer, else a copy that does. */
export function inSharedMemory<T extends TypedArray>(array: T): T {
  return array.buffer instanceof SharedArrayBuffer ? array : sharedCopy(array);
}
