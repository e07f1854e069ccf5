using System.Runtime.CompilerServices;

// The engine's stack buffers (piece scratch, merge arrays) are always written before they are read, so
// zeroing them on every call is wasted work on the hot path.
[module: SkipLocalsInit]
