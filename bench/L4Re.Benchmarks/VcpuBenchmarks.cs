using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using L4Re.Uvmm.Vz;

namespace L4Re.Benchmarks;

/// <summary>
/// The vCPU interpreter on a CPU-bound bare-metal program: CRC-32 over 1 MiB, compiled with mipsel-linux-gnu-gcc
/// in the global setup. <see cref="Engine_Crc32_1MiB"/> measures the engine in-process (guest instructions per
/// second = <see cref="GuestInstructions"/> / time); the two process benchmarks measure whole-process time to
/// completion of <c>l4re run-elf</c> and of <c>qemu-system-mipsel -M malta -cpu P5600</c> on the same ELF.
/// The program ends by writing Malta's SOFTRES register (0x1f000500 ← 0x42), which makes QEMU exit with
/// <c>-no-reboot</c> and is an unhandled GPA exit (a stop) for the bare-metal runner.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class VcpuBenchmarks
{
    private string _dir = "";
    private string _elf = "";
    private string _l4re = "";
    private BareMetalMachine _machine = null!;
    private Elf32Image _image = null!;

    /// <summary>Guest instructions of one run (printed in the global setup; about 20 million).</summary>
    public static long GuestInstructions { get; private set; }

    /// <summary>Compiles the guest program and locates (or builds) the l4re tool.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "l4re-vcpu-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "crt0.S"), Crt0);
        File.WriteAllText(Path.Combine(_dir, "crc.c"), Crc);
        _elf = Path.Combine(_dir, "crc1m.elf");
        Run("mipsel-linux-gnu-gcc", "-O2 -march=mips32r2 -msoft-float -mno-abicalls -fno-pic -G0 -ffreestanding -fno-builtin "
            + "-nostdlib -static -Wl,-Ttext=0x80100000 -Wl,-e,_start -o crc1m.elf crt0.S crc.c", _dir,
            "install gcc-mipsel-linux-gnu (the benchmark compiles its guest program)");
        _image = Elf32Image.Parse(File.ReadAllBytes(_elf));
        _machine = new BareMetalMachine();
        _machine.Load(_image);
        var result = _machine.Run(long.MaxValue);
        GuestInstructions = result.Instructions;
        Console.WriteLine($"// CRC-32 over 1 MiB: {result.Instructions} guest instructions, v0 = 0x{_machine.Vcpu.GetGpr(2):x8}, stop {result.Stop} at 0x{result.Pc:x8}");
        _l4re = LocateL4re();
    }

    /// <summary>Removes the temporary directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    /// <summary>Reloads the ELF into the same machine and runs it to completion (decoded code is rebuilt).</summary>
    [Benchmark]
    public long Engine_Crc32_1MiB()
    {
        _machine.Vcpu.Reset();
        _machine.Load(_image);
        return _machine.Run(long.MaxValue).Instructions;
    }

    /// <summary>Runs the program again with warm decoded-code and software-TLB caches: the steady-state loop (0 B/op).</summary>
    [Benchmark]
    public long Engine_Crc32_1MiB_WarmCaches()
    {
        var cpu = _machine.Vcpu;
        for (var r = 1; r < 32; r++)
            cpu.SetGpr(r, 0);
        cpu.Pc = _image.Entry;
        return _machine.Run(long.MaxValue).Instructions;
    }

    /// <summary>Whole-process time of <c>l4re run-elf FILE --json</c>.</summary>
    [Benchmark]
    public int L4re_RunElf_Process() => Run("dotnet", $"\"{_l4re}\" run-elf \"{_elf}\" --json", _dir, "build L4Re.Cli in Release");

    /// <summary>Whole-process time of QEMU on the same ELF.</summary>
    [Benchmark]
    public int Qemu_Malta_P5600_Process() =>
        Run("qemu-system-mipsel", $"-M malta -cpu P5600 -nographic -vga none -nic none -serial null -monitor none -no-reboot -kernel \"{_elf}\"", _dir,
            "install qemu-system-mips");

    private static int Run(string tool, string args, string dir, string hint)
    {
        var psi = new ProcessStartInfo(tool, args)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not available: {hint}", e);
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(300_000))
            {
                p.Kill(true);
                throw new InvalidOperationException($"{tool} {args} timed out");
            }
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {args} exited with {p.ExitCode}: {stderr.Result}{stdout.Result}");
            return stdout.Result.Length;
        }
    }

    private static string LocateL4re()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "L4Re.slnx")))
            dir = dir.Parent;
        if (dir is null)
            throw new InvalidOperationException("cannot find the repository root (L4Re.slnx) above " + AppContext.BaseDirectory);
        var dll = Path.Combine(dir.FullName, "artifacts", "bin", "L4Re.Cli", "release", "l4re.dll");
        if (!File.Exists(dll))
            Run("dotnet", "build -c Release L4Re.Cli/L4Re.Cli.csproj", dir.FullName, "the .NET SDK builds the l4re tool");
        return dll;
    }

    private const string Crt0 = """
            .set noreorder
            .text
            .globl _start
        _start:
            lui $sp, %hi(stack_top)
            addiu $sp, $sp, %lo(stack_top)
            jal main
            nop
            lui $t0, 0xbf00
            li $t1, 0x42
            sw $t1, 0x500($t0)      # Malta SOFTRES: QEMU -no-reboot exits; a GPA exit stops the runner
        1:  wait
            b 1b
            nop
            .bss
            .align 4
            .space 65536
        stack_top:
        """;

    private const string Crc = """
        static unsigned int table[256];
        static unsigned char data[1 << 20];

        unsigned int main(void)
        {
            for (unsigned int i = 0; i < 256; i++) {
                unsigned int c = i;
                for (int k = 0; k < 8; k++)
                    c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
                table[i] = c;
            }
            unsigned int x = 1;
            for (unsigned int i = 0; i < sizeof data; i++) {
                x ^= x << 13; x ^= x >> 17; x ^= x << 5;
                data[i] = (unsigned char)x;
            }
            unsigned int crc = 0xffffffffu;
            for (unsigned int i = 0; i < sizeof data; i++)
                crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
            return ~crc;
        }
        """;
}
