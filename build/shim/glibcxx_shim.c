/* No-op stand-in for the libstdc++ 13 iostream init marker that libLibTorchSharp.so names but never calls. */
void _ZSt21ios_base_library_initv(void) {}
