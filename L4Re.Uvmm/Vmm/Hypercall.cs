namespace L4Re.Uvmm.Vmm;

/// <summary>
/// HYPCALL codes (the 10-bit code in bits 20:11 of <c>HYPCALL</c> = 0x42000028 | code &lt;&lt; 11). uvmm defines
/// 0x160 = put character from $a0 (ARCH-mips <c>guest.h</c> <c>Hypcall_outchar</c>); the SDK reserves
/// 0x160–0x16f for itself. Any other code is an exit the VMM does not handle: the VM is halted.
/// </summary>
public static class Hypercall
{
    /// <summary>First code of the SDK range (uvmm <c>Hypcall_base</c>).</summary>
    public const uint Base = 0x160;

    /// <summary>Last code of the SDK range.</summary>
    public const uint Last = 0x16f;

    /// <summary>Write the character in $a0 to the VMM console (uvmm).</summary>
    public const uint PutChar = 0x160;

    /// <summary>Power off; $a0 is the exit code (SDK).</summary>
    public const uint PowerOff = 0x161;

    /// <summary>Reboot (SDK).</summary>
    public const uint Reboot = 0x162;

    /// <summary>The code of a HYPCALL instruction, or null when the word is not one.</summary>
    /// <param name="instruction">The instruction word.</param>
    public static uint? Decode(uint instruction) =>
        Mips.InstructionDecoder.DecodeOp(instruction) == Mips.Op.Hypcall ? instruction >> 11 & 0x3ff : null;

    /// <summary>The HYPCALL instruction word for a code.</summary>
    /// <param name="code">The 10-bit code.</param>
    public static uint Encode(uint code) => 0x4200_0028 | (code & 0x3ff) << 11;
}
