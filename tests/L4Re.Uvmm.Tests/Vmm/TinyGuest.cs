using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Tests.Loaders;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>
/// Minimal bare-metal guests for the default platform (ELF at 0x80100000): print a message on the ns16550a UART
/// (0x1f04a000, reg-shift 2) and then power off (the SDK's power-off HYPCALL), spin, or spin a number of
/// iterations first. Cheap stand-ins for Linux where only the VMM's reaction matters.
/// </summary>
internal static class TinyGuest
{
    public const uint Entry = 0x8010_0000;

    /// <summary>What the guest does after printing.</summary>
    public enum Then
    {
        PowerOff,
        Spin,
    }

    /// <summary>Builds the guest's ELF bytes.</summary>
    /// <param name="message">ASCII text to print (no quotes or backslashes).</param>
    /// <param name="then">What to do afterwards.</param>
    /// <param name="delayIterations">Busy-loop iterations before printing (about 2 instructions each).</param>
    public static byte[] Build(string message, Then then, uint delayIterations = 0)
    {
        var end = then == Then.PowerOff
            ? $"li $a0, 0\n .word 0x{L4Re.Uvmm.Vmm.Hypercall.Encode(L4Re.Uvmm.Vmm.Hypercall.PowerOff):x8}\nhang: b hang\n nop"
            : "spin: b spin\n nop";
        var source = $"""
            li $t3, {delayIterations}
            delay: beq $t3, $zero, print
             nop
             b delay
             addiu $t3, $t3, -1
            print: li $t0, 0xbf04a000
             la $t1, msg
            next: lbu $t2, 0($t1)
             beq $t2, $zero, done
             nop
             sw $t2, 0($t0)
             b next
             addiu $t1, $t1, 1
            done:
            {end}
            msg: .asciz "{message}\n"
            """;
        var code = Assembler.Assemble(source, Entry).Bytes;
        return ElfBuilder.Build(Entry, [new ElfBuilder.Segment(1, Entry, Entry & 0x1fff_ffff, code, (uint)code.Length)]);
    }

    /// <summary>Writes the guest to a temporary file and returns its path.</summary>
    public static string WriteTemp(string message, Then then, uint delayIterations = 0)
    {
        var path = Path.Combine(Path.GetTempPath(), $"l4re-tiny-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(path, Build(message, then, delayIterations));
        return path;
    }
}
