// netstandard2.0 lacks the types that records and init-only setters need; the compiler only looks for the name.
#if NETSTANDARD2_0
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
#endif
