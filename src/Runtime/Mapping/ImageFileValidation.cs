namespace TokenizerCompiler;

/// <summary>How much <see cref="Tokenizer.OpenImageFile(string, ImageFileValidation)"/> checks before trusting an image file.</summary>
public enum ImageFileValidation
{
    /// <summary>
    /// Everything <see cref="Tokenizer.FromImage(System.ReadOnlySpan{byte})"/> checks: header, version, checksum, section
    /// bounds, and one pass over every token offset, hash slot and byte pair, so that even a crafted image whose
    /// checksum matches cannot make a lookup read out of bounds. About 5 ms for o200k_base.
    /// </summary>
    Full,

    /// <summary>
    /// Header, version, section bounds and the checksum (which catches truncation, bit rot and accidental edits),
    /// without the per-entry pass. For images you compiled yourself: an image crafted to match its checksum could
    /// still make lookups read outside the mapping.
    /// </summary>
    ChecksumOnly,
}
