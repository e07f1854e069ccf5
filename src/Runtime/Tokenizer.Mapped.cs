using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.MemoryMappedFiles;
using TokenizerCompiler.Core.Tables;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Opens a tokenizer image file (as written by <c>tkc compile</c>) by memory-mapping it read-only: the tables
    /// are read in place from the operating system's page cache, nothing is copied or built. The image is
    /// validated exactly as <see cref="FromImage(ReadOnlySpan{byte})"/> validates it (checksum, format version,
    /// section bounds, every stored offset and hash slot), so a corrupt or truncated file is rejected before any
    /// lookup can read out of bounds.
    /// </summary>
    /// <remarks>
    /// The mapping lives exactly as long as the returned tokenizer: it is held by a finalizable owner that
    /// unmaps the view once the tokenizer (and everything that references it) is unreachable. There is nothing
    /// to dispose, which keeps <see cref="Tokenizer"/> the same immutable, share-anywhere type whatever its
    /// tables come from. Spans returned by <see cref="GetTokenBytes(int)"/> point into the mapping, so keep the
    /// tokenizer reachable while you use them. The file may be deleted or renamed while mapped (on Unix);
    /// it must not be modified in place.
    /// </remarks>
    /// <param name="path">The image file.</param>
    /// <param name="validation">
    /// <see cref="ImageFileValidation.Full"/> (the default) checks everything <see cref="FromImage(ReadOnlySpan{byte})"/> checks;
    /// <see cref="ImageFileValidation.ChecksumOnly"/> skips the per-entry pass, for images you compiled yourself.
    /// </param>
    /// <exception cref="InvalidTokenizerImageException">The file is not a valid image: wrong magic number or version, truncated, or its checksum does not match.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static unsafe Tokenizer OpenImageFile(string path, ImageFileValidation validation = ImageFileValidation.Full)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (validation is not (ImageFileValidation.Full or ImageFileValidation.ChecksumOnly))
        {
            throw new ArgumentOutOfRangeException(nameof(validation), validation, "unknown validation level");
        }

        MappedImage mapped = MappedImage.Open(path);
        try
        {
            var image = new ReadOnlySpan<byte>(mapped.Pointer, mapped.Length);
            ThrowIfNotAnImageOfItsLength(path, image);
            if (validation == ImageFileValidation.ChecksumOnly)
            {
                if (BinaryPrimitives.ReadUInt64LittleEndian(image.Slice(ImageFormat.ChecksumOffset)) != ImageWriter.Checksum(image))
                {
                    throw new InvalidTokenizerImageException($"'{path}': the image's checksum does not match its content (the file is corrupt or was modified)");
                }

                // The checksum vouches for the content; the loader still checks the header, version and section bounds.
                return new Tokenizer(TokenizerTables.Open(mapped, mapped.Pointer, mapped.Length, trusted: true));
            }

            return new Tokenizer(TokenizerTables.Open(mapped, mapped.Pointer, mapped.Length, trusted: false));
        }
        catch
        {
            mapped.Release();
            throw;
        }
    }

    /// <summary>
    /// A file of another kind, or one cut short (an interrupted copy or download), would otherwise fail the
    /// checksum first; naming the actual problem, with both lengths, tells the user what happened. The table
    /// loader checks the same again.
    /// </summary>
    private static void ThrowIfNotAnImageOfItsLength(string path, ReadOnlySpan<byte> file)
    {
        if (file.Length < ImageFormat.HeaderSize || BinaryPrimitives.ReadUInt64LittleEndian(file) != ImageFormat.Magic)
        {
            throw new InvalidTokenizerImageException($"'{path}' is not a tokenizer image (bad magic number; 'tkc compile' writes images)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(8)) == ImageFormat.Version)
        {
            ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(file.Slice(24));
            if (declared != (ulong)file.Length)
            {
                string what = declared > (ulong)file.Length ? "is truncated" : "has trailing data";
                throw new InvalidTokenizerImageException($"'{path}' {what}: the file has {file.Length} bytes, its header says {declared}");
            }
        }
    }

    /// <summary>
    /// A read-only view of a whole file that stays mapped until this object is finalized (or released on a
    /// failed open). The view's pointer is acquired once, so the view cannot be unmapped under the tables.
    /// </summary>
    private sealed unsafe class MappedImage
    {
        private readonly MemoryMappedViewAccessor _view;
        private int _released;

        private MappedImage(MemoryMappedViewAccessor view, byte* pointer, int length)
        {
            _view = view;
            Pointer = pointer;
            Length = length;
        }

        ~MappedImage() => Release();

        public byte* Pointer { get; }

        public int Length { get; }

        public static MappedImage Open(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.None);
            long length = stream.Length;
            if (length == 0)
            {
                throw new InvalidTokenizerImageException($"'{path}' is empty, not a tokenizer image");
            }

            if (length > int.MaxValue)
            {
                throw new InvalidTokenizerImageException($"'{path}' is {length} bytes, larger than any tokenizer image can be");
            }

            // The mapping object can be closed once the view exists: the view keeps the pages mapped by itself.
            using MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, mapName: null, 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: true);
            MemoryMappedViewAccessor view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            try
            {
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            }
            catch
            {
                view.Dispose();
                throw;
            }

            return new MappedImage(view, pointer + view.PointerOffset, (int)length);
        }

        /// <summary>Unmaps the view (once); only called when no tables can use it any more.</summary>
        public void Release()
        {
            if (System.Threading.Interlocked.Exchange(ref _released, 1) == 0)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
                _view.Dispose();
                GC.SuppressFinalize(this);
            }
        }
    }
}
