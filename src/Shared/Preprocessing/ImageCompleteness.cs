using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace ConR.Shared.Preprocessing;

// ImageSharp 2.1 decodes a truncated JPEG, BMP or WebP without error and fills the missing part with gray or black,
// which would silently train on (or serve) half an image. These checks look only at the container structure.
internal static class ImageCompleteness
{
    public static bool IsComplete(IImageFormat format, ReadOnlySpan<byte> data)
    {
        if (format == JpegFormat.Instance) return JpegHasEndOfImage(data);
        if (format == BmpFormat.Instance) return BmpIsComplete(data);
        if (format == WebpFormat.Instance) return WebpIsComplete(data);
        if (format == PngFormat.Instance) return PngPixelData.IsComplete(data);
        return true;
    }

    // Walks the marker segments and the entropy-coded data after each SOS until EOI (FF D9). Inside entropy-coded
    // data FF is always followed by 00 (stuffing) or a restart marker, so the walk cannot mistake pixels for EOI;
    // an EXIF thumbnail's EOI is skipped because it sits inside an APP1 segment.
    public static bool JpegHasEndOfImage(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return false;
        int i = 2;
        while (true)
        {
            int next = data[i..].IndexOf((byte)0xFF);
            if (next < 0) return false;
            i += next;
            while (i < data.Length && data[i] == 0xFF) i++;
            if (i >= data.Length) return false;
            byte marker = data[i++];
            if (marker == 0xD9) return true;
            if (marker == 0x00 || marker == 0x01 || marker is >= 0xD0 and <= 0xD8) continue;
            if (i + 2 > data.Length) return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            if (length < 2 || i + length > data.Length) return false;
            i += length;
            if (marker == 0xDA && !SkipEntropyCodedData(data, ref i)) return false;
        }
    }

    private static bool SkipEntropyCodedData(ReadOnlySpan<byte> data, ref int i)
    {
        while (true)
        {
            int next = data[i..].IndexOf((byte)0xFF);
            if (next < 0) return false;
            i += next;
            if (i + 1 >= data.Length) return false;
            byte following = data[i + 1];
            if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
                i += 2;
            else if (following == 0xFF)
                i += 1;
            else
                return true;
        }
    }

    // BITMAPFILEHEADER.bfSize is the whole file's size; writers that leave it 0 are not checked.
    private static bool BmpIsComplete(ReadOnlySpan<byte> data)
    {
        if (data.Length < 6) return false;
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(data[2..]);
        return declared == 0 || data.Length >= declared;
    }

    // RIFF header: "RIFF", then the size of everything after these 8 bytes.
    private static bool WebpIsComplete(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12) return false;
        long declared = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L;
        return data.Length >= declared;
    }
}
