using System;
using System.Collections.Immutable;
using TokenizerCompiler.Generator.Model;

namespace TokenizerCompiler.Generator.Parsing;

/// <summary>Finds the vocabulary item a declaration names: by relative path suffix, else by file name.</summary>
internal static class VocabularyMatcher
{
    public static VocabularyFile? Find(ImmutableArray<VocabularyFile> files, string requested)
    {
        string wanted = Normalise(requested);
        VocabularyFile? byName = null;
        foreach (VocabularyFile file in files)
        {
            string path = Normalise(file.MatchPath);
            if (path == wanted || path.EndsWith("/" + wanted, StringComparison.Ordinal))
            {
                return file;
            }

            if (byName is null && FileName(path) == FileName(wanted))
            {
                byName = file;
            }
        }

        return byName;
    }

    private static string Normalise(string path) => path.Replace('\\', '/').TrimStart('.', '/');

    private static string FileName(string path) => path.Substring(path.LastIndexOf('/') + 1);
}
