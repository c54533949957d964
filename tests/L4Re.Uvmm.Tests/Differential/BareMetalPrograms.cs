using System.Globalization;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>Builds the bare-metal differential programs (Differential/BareMetal) with mipsel-linux-gnu-gcc.</summary>
internal static class BareMetalPrograms
{
    public static string SourceDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "Differential", "BareMetal");

    /// <summary>Every program: one .c or .S file with a <c>main</c> (crt0.S and mini.c are the shared runtime).</summary>
    public static IEnumerable<string> Names =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Differential", "BareMetal"))
            .Select(Path.GetFileName)
            .Where(f => f is not null && f != "crt0.S" && f != "mini.c" && (f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".S", StringComparison.Ordinal)))
            .Select(f => f!)
            .Order(StringComparer.Ordinal);

    public const string CFlags = "-O2 -march=mips32r2 -msoft-float -mno-abicalls -fno-pic -G0 -ffreestanding -fno-builtin "
        + "-fno-stack-protector -nostdlib -static -Wl,-Ttext=0x80100000 -Wl,--section-start=.vectors=0x80000000 "
        + "-Wl,-e,_start -Wl,--build-id=none";

    /// <summary>Compiles <paramref name="source"/> with the runtime into <paramref name="dir"/>; returns the ELF path and the address of <c>done</c>.</summary>
    public static (string Elf, uint Done) Build(string source, string dir)
    {
        var elf = Path.Combine(dir, Path.GetFileNameWithoutExtension(source) + ".elf");
        var src = SourceDir;
        CrossTools.Run(CrossTools.Gcc, $"{CFlags} -o \"{elf}\" \"{src}/crt0.S\" \"{src}/{source}\" \"{src}/mini.c\" -lgcc", dir);
        var nm = CrossTools.Run(CrossTools.Nm, $"\"{elf}\"", dir);
        var line = nm.Split('\n').First(l => l.EndsWith(" T done", StringComparison.Ordinal));
        var done = (uint)ulong.Parse(line.Split(' ')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (elf, done);
    }
}
