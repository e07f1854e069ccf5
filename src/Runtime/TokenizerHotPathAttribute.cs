using System;

namespace TokenizerCompiler;

/// <summary>
/// Marks a method or constructor as a hot path: the package's analyzer (TKC1004) then reports every call to an
/// allocating tokenizer overload in it (an <c>int[]</c> or <c>string</c> result), as it does inside loops, and
/// offers the span overload with a pooled buffer instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class TokenizerHotPathAttribute : Attribute
{
}
