namespace L4Re.Uvmm.Mips;

/// <summary>GPR names of the o32 ABI, as the assembler accepts and the disassembler prints them.</summary>
public static class RegisterNames
{
    private static readonly string[] Abi =
    [
        "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
        "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
        "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
        "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
    ];

    /// <summary>The ABI name of GPR <paramref name="index"/> with a leading <c>$</c> (e.g. <c>$a0</c>).</summary>
    public static string Gpr(int index) => "$" + Abi[index & 31];

    /// <summary>Parses a GPR: <c>$4</c>, <c>$a0</c>, <c>$s8</c> (= <c>$fp</c>). Returns false for anything else.</summary>
    public static bool TryParseGpr(string text, out int index)
    {
        index = -1;
        if (text.Length < 2 || text[0] != '$')
            return false;
        var s = text[1..];
        if (s.All(char.IsAsciiDigit))
            return int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index) && index < 32;
        index = s == "s8" ? 30 : Array.IndexOf(Abi, s);
        return index >= 0;
    }
}
