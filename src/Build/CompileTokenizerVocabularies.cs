using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using TokenizerCompiler.Core.Compilation;

namespace TokenizerCompiler.Build;

/// <summary>
/// Compiles each <c>TokenizerVocabulary</c> item into an image (<c>NAME.tkc</c>, embedded as a resource) and a
/// summary (<c>NAME.tkc-summary</c>, handed to the source generator). Problems in a vocabulary are not build
/// errors here: they go into the summary and the generator reports them as compiler diagnostics with the
/// file's line and column, exactly as when the generator compiles a vocabulary itself.
/// </summary>
public sealed class CompileTokenizerVocabularies : Task
{
    /// <summary>The vocabularies; optional metadata <c>Pattern</c>, <c>Encoding</c>, <c>Normalizer</c> (vocab.json) and <c>OutputName</c>.</summary>
    [Required]
    public ITaskItem[] Vocabularies { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Where images and summaries go (normally under obj/).</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <inheritdoc/>
    public override bool Execute()
    {
        Directory.CreateDirectory(OutputDirectory);
        foreach (ITaskItem item in Vocabularies)
        {
            string path = item.GetMetadata("FullPath");
            string name = OutputName(item);
            string imagePath = Path.Combine(OutputDirectory, name + ".tkc");
            string summaryPath = Path.Combine(OutputDirectory, name + ".tkc-summary");
            CompilationOutput output;
            try
            {
                var options = new CompileOptions(VocabularyFormat.Auto, Metadata(item, "Pattern"), Metadata(item, "Encoding"), Metadata(item, "Normalizer"));
                // A SentencePiece .model is binary: it can only reach the compiler through this step (csc rejects
                // binary AdditionalFiles with CS2015).
                output = VocabularyCompiler.CompileFile(path, File.ReadAllBytes(path), options,
                    sibling => File.Exists(sibling) ? File.ReadAllBytes(sibling) : null);
            }
            catch (IOException e)
            {
                Log.LogError(null, "TKC0001", null, path, 0, 0, 0, 0, $"cannot read the vocabulary file: {e.Message}");
                continue;
            }

            if (output.Image is not null)
            {
                File.WriteAllBytes(imagePath, output.Image);
            }
            else if (File.Exists(imagePath))
            {
                File.Delete(imagePath);
            }

            // Always rewritten: its timestamp is what tells MSBuild the step is up to date.
            File.WriteAllText(summaryPath, CompilationSummary.From(path, ResourceName(name), output).Write());
            Log.LogMessage(MessageImportance.Low, $"TokenizerCompiler: compiled {path} → {imagePath}");
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The file stem of the outputs, which the targets compute into <c>OutputName</c> metadata: the vocabulary's file
    /// name, prefixed with its folder's name for the conventional names every model uses (tokenizer.json, vocab.json).
    /// </summary>
    public static string OutputName(ITaskItem item)
    {
        string computed = item.GetMetadata("OutputName");
        return string.IsNullOrEmpty(computed) ? item.GetMetadata("Filename") + item.GetMetadata("Extension") : computed;
    }

    /// <summary>The manifest resource name the targets give the image.</summary>
    public static string ResourceName(string outputName) => "TokenizerCompiler." + outputName + ".tkc";

    private static string? Metadata(ITaskItem item, string name)
    {
        string value = item.GetMetadata(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
