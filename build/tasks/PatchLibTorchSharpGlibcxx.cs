// MSBuild task (compiled by RoslynCodeTaskFactory): makes the TorchSharp native bridge load on hosts whose
// libstdc++ predates GLIBCXX_3.4.32 (Debian 12). libLibTorchSharp.so references exactly one symbol of that version,
// _ZSt21ios_base_library_initv, through an unrelocated ".globl" that GCC 13 emits from <iostream>; nothing calls it.
// The patch touches the copy in the build output only and is skipped where the host library already has the version.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharpGlibcxx : Task
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string ShimName = "libconr_glibcxx_shim.so";
    private const uint ShtDynamic = 6, ShtDynsym = 11, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
    private const long DtNull = 0, DtNeeded = 1, DtSymbolic = 16, DtFlags = 30, DtRunpath = 29;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string LibraryPath { get; set; } = "";
    /// <summary>C source of the no-op shim that exports the marker symbol; compiled with cc when one exists.</summary>
    public string ShimSource { get; set; } = "";
    public string ShimBuildDirectory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !File.Exists(LibraryPath)) return true;
        if (HostHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"Host libstdc++ has {MissingVersion}: {LibraryPath} left as is.");
            return true;
        }
        try
        {
            var elf = File.ReadAllBytes(LibraryPath);
            var result = Patch(elf);
            if (result == null) return true;
            var tmp = LibraryPath + ".patching";
            File.WriteAllBytes(tmp, elf);
            File.Copy(tmp, LibraryPath, true);
            File.Delete(tmp);
            Log.LogMessage(MessageImportance.High, $"libLibTorchSharp.so patched for a host without {MissingVersion}: {result}");
            return true;
        }
        catch (Exception ex)
        {
            Log.LogWarning($"Could not patch {LibraryPath} for {MissingVersion}: {ex.Message}. TorchSharp may fail to load on this host.");
            return true;
        }
    }

    private static bool HostHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(MissingVersion + "\0");
        foreach (var path in candidates)
        {
            if (File.Exists(path)) return Contains(File.ReadAllBytes(path), needle);
        }
        return true; // unknown layout: do not touch the library
    }

    // Returns a description of what changed, or null when the file needs nothing (already patched or no such need).
    private string? Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = I64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        Section? verneed = null, versym = null, dynsym = null, dynamic = null;
        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            var s = new Section(U32(elf, h + 4), I64(elf, h + 24), I64(elf, h + 32), (int)U32(elf, h + 40));
            sections[i] = s;
            if (s.Type == ShtVerneed) verneed = s;
            else if (s.Type == ShtVersym) versym = s;
            else if (s.Type == ShtDynsym) dynsym = s;
            else if (s.Type == ShtDynamic) dynamic = s;
        }
        if (verneed == null || versym == null || dynsym == null || dynamic == null) return null;
        long dynstr = sections[verneed.Link].Offset;

        // 1. Find the Vernaux of the missing version and mark it weak.
        int versionIndex = -1;
        long entry = verneed.Offset;
        while (true)
        {
            int cnt = U16(elf, entry + 2);
            long aux = entry + U32(elf, entry + 8);
            for (int a = 0; a < cnt; a++)
            {
                if (ReadString(elf, dynstr + U32(elf, aux + 8)) == MissingVersion)
                {
                    versionIndex = U16(elf, aux + 6);
                    ushort flags = (ushort)U16(elf, aux + 4);
                    if ((flags & VerFlgWeak) != 0) return null; // already patched
                    W16(elf, aux + 4, (ushort)(flags | VerFlgWeak));
                }
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, entry + 12);
            if (next == 0) break;
            entry += next;
        }
        if (versionIndex < 0) return null;

        // 2. Clear the version of every undefined symbol bound to it (only the ios_base init marker is expected).
        int symbols = (int)(dynsym.Size / 24), cleared = 0;
        for (int i = 0; i < symbols; i++)
        {
            long vs = versym.Offset + 2L * i;
            if ((U16(elf, vs) & 0x7fff) != versionIndex) continue;
            if (U16(elf, dynsym.Offset + 24L * i + 6) != 0)
                throw new InvalidDataException($"a defined symbol uses {MissingVersion}; refusing to patch");
            W16(elf, vs, 1); // VER_NDX_GLOBAL
            cleared++;
        }

        // 3. Add the shim as NEEDED where the file leaves room for it: DT_SYMBOLIC duplicates DF_SYMBOLIC in
        //    DT_FLAGS, and RUNPATH entries after $ORIGIN/ are paths of the machine that built libtorch.
        string shim = AddShimNeeded(elf, dynamic, dynstr) ? $", NEEDED {ShimName}" : ", no shim (no room or no C compiler)";
        return $"{MissingVersion} requirement weak, {cleared} symbol version(s) cleared{shim}";
    }

    private bool AddShimNeeded(byte[] elf, Section dynamic, long dynstr)
    {
        string? shimBinary = BuildShim();
        if (shimBinary == null) return false;
        long symbolicEntry = -1, runpathValue = -1;
        bool dfSymbolic = false;
        for (long e = dynamic.Offset; e < dynamic.Offset + dynamic.Size; e += 16)
        {
            long tag = I64(elf, e);
            if (tag == DtNull) break;
            if (tag == DtSymbolic) symbolicEntry = e;
            if (tag == DtFlags) dfSymbolic = (I64(elf, e + 8) & 0x2) != 0;
            if (tag == DtRunpath) runpathValue = I64(elf, e + 8);
        }
        if (symbolicEntry < 0 || !dfSymbolic || runpathValue < 0) return false;
        long runpath = dynstr + runpathValue;
        string value = ReadString(elf, runpath);
        const string keep = "$ORIGIN/";
        if (!value.StartsWith(keep, StringComparison.Ordinal) || value.Length < keep.Length + 1 + ShimName.Length) return false;
        long nameAt = runpath + keep.Length + 1;
        elf[runpath + keep.Length] = 0;
        var bytes = Encoding.ASCII.GetBytes(ShimName);
        Array.Copy(bytes, 0, elf, nameAt, bytes.Length);
        elf[nameAt + bytes.Length] = 0;
        W64(elf, symbolicEntry, DtNeeded);
        W64(elf, symbolicEntry + 8, nameAt - dynstr);
        File.Copy(shimBinary, Path.Combine(Path.GetDirectoryName(LibraryPath)!, ShimName), true);
        return true;
    }

    private string? BuildShim()
    {
        if (!File.Exists(ShimSource) || string.IsNullOrEmpty(ShimBuildDirectory)) return null;
        Directory.CreateDirectory(ShimBuildDirectory);
        string output = Path.Combine(ShimBuildDirectory, ShimName);
        if (File.Exists(output)) return output;
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("cc", $"-shared -fPIC -O2 -o \"{output}\" \"{ShimSource}\"")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = System.Diagnostics.Process.Start(psi)!;
            process.WaitForExit(60_000);
            return process.ExitCode == 0 && File.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no C compiler: the weak version alone is enough, the shim is belt and braces
        }
    }

    private sealed class Section
    {
        public Section(uint type, long offset, long size, int link) { Type = type; Offset = offset; Size = size; Link = link; }
        public uint Type { get; }
        public long Offset { get; }
        public long Size { get; }
        public int Link { get; }
    }
    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    private static int U16(byte[] b, long o) => b[o] | (b[o + 1] << 8);
    private static uint U32(byte[] b, long o) => BitConverter.ToUInt32(b, (int)o);
    private static long I64(byte[] b, long o) => BitConverter.ToInt64(b, (int)o);
    private static void W16(byte[] b, long o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    private static void W64(byte[] b, long o, long v) => BitConverter.GetBytes(v).CopyTo(b, (int)o);
    private static string ReadString(byte[] b, long o)
    {
        long end = o;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
    }
}
