using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>
/// FsCheck generators of random user-mode instruction sequences (ALU, shifts, R2 bit operations, multiply/divide
/// with HI/LO, loads and stores into a per-sequence 256-byte buffer including unaligned LWL/LWR/SWL/SWR, forward
/// branches and jumps with delay slots, branch-likely, links) and the assembly of a static mipsel Linux program
/// that runs a batch of them and writes every sequence's buffer, registers, HI and LO to stdout.
/// Sequences never trap: no ADD/ADDI/SUB, no traps, aligned accesses inside the buffer, $sp untouched.
/// </summary>
internal static class RandomSequences
{
    /// <summary>Bytes per sequence in the output: 256-byte buffer + 29 GPRs + HI + LO (31 words), padded.</summary>
    public const int RegionSize = 384;

    /// <summary>Registers a sequence may write: all but $zero, $sp (differs between environments) and $fp (the buffer base).</summary>
    private static readonly int[] Dest = [.. Enumerable.Range(1, 28), 31];

    /// <summary>Registers a sequence may read.</summary>
    private static readonly int[] Src = [.. Enumerable.Range(0, 29), 30, 31];

    /// <summary>One generated sequence: initial register values, buffer contents and body lines (labels as {L:n}).</summary>
    public sealed record Sequence(uint[] Init, uint Hi, uint Lo, uint[] Buffer, string[] Body);

    private static string R(int r) => "$" + r.ToString(CultureInfo.InvariantCulture);

    private static Gen<string> Simple()
    {
        var d = Gen.Elements(Dest);
        var s = Gen.Elements(Src);
        var sa = Gen.Choose(0, 31);
        var imm16 = Gen.Choose(-32768, 32767);
        var uimm16 = Gen.Choose(0, 65535);
        var rrr = Gen.Elements("addu", "subu", "and", "or", "xor", "nor", "slt", "sltu", "movn", "movz", "mul")
            .SelectMany(op => d.SelectMany(rd => s.SelectMany(rs => s.Select(rt => $"{op} {R(rd)}, {R(rs)}, {R(rt)}"))));
        var shiftv = Gen.Elements("sllv", "srlv", "srav", "rotrv")
            .SelectMany(op => d.SelectMany(rd => s.SelectMany(rt => s.Select(rs => $"{op} {R(rd)}, {R(rt)}, {R(rs)}"))));
        var shift = Gen.Elements("sll", "srl", "sra", "rotr")
            .SelectMany(op => d.SelectMany(rd => s.SelectMany(rt => sa.Select(n => $"{op} {R(rd)}, {R(rt)}, {n}"))));
        var immS = Gen.Elements("addiu", "slti", "sltiu")
            .SelectMany(op => d.SelectMany(rt => s.SelectMany(rs => imm16.Select(i => $"{op} {R(rt)}, {R(rs)}, {i}"))));
        var immU = Gen.Elements("andi", "ori", "xori")
            .SelectMany(op => d.SelectMany(rt => s.SelectMany(rs => uimm16.Select(i => $"{op} {R(rt)}, {R(rs)}, {i}"))));
        var lui = d.SelectMany(rt => uimm16.Select(i => $"lui {R(rt)}, {i}"));
        var unary = Gen.Elements("wsbh", "seb", "seh")
            .SelectMany(op => d.SelectMany(rd => s.Select(rt => $"{op} {R(rd)}, {R(rt)}")));
        var count = Gen.Elements("clz", "clo").SelectMany(op => d.SelectMany(rd => s.Select(rs => $"{op} {R(rd)}, {R(rs)}")));
        var field = Gen.Choose(0, 31).SelectMany(pos => Gen.Choose(1, 32 - pos).Select(size => (pos, size)));
        var extIns = Gen.Elements("ext", "ins")
            .SelectMany(op => d.SelectMany(rt => s.SelectMany(rs => field.Select(f => $"{op} {R(rt)}, {R(rs)}, {f.pos}, {f.size}"))));
        var hilo = Gen.Elements("mult", "multu", "madd", "maddu", "msub", "msubu")
            .SelectMany(op => s.SelectMany(rs => s.Select(rt => $"{op} {R(rs)}, {R(rt)}")));
        var div = Gen.Elements("div", "divu").SelectMany(op => s.SelectMany(rs => s.Select(rt => $"{op} $0, {R(rs)}, {R(rt)}")));
        var mfhilo = Gen.Elements("mfhi", "mflo").SelectMany(op => d.Select(rd => $"{op} {R(rd)}"));
        var mthilo = Gen.Elements("mthi", "mtlo").SelectMany(op => s.Select(rs => $"{op} {R(rs)}"));
        var load = Gen.Elements(("lw", 4), ("lh", 2), ("lhu", 2), ("lb", 1), ("lbu", 1), ("lwl", 1), ("lwr", 1))
            .SelectMany(o => d.SelectMany(rt => Gen.Choose(0, 256 / o.Item2 - 1).Select(k => $"{o.Item1} {R(rt)}, {k * o.Item2}($30)")));
        var store = Gen.Elements(("sw", 4), ("sh", 2), ("sb", 1), ("swl", 1), ("swr", 1))
            .SelectMany(o => s.SelectMany(rt => Gen.Choose(0, 256 / o.Item2 - 1).Select(k => $"{o.Item1} {R(rt)}, {k * o.Item2}($30)")));
        return Gen.Frequency(
            (10, rrr), (3, shiftv), (4, shift), (6, immS), (4, immU), (2, lui), (2, unary), (2, count), (3, extIns),
            (3, hilo), (2, div), (3, mfhilo), (1, mthilo), (8, load), (7, store));
    }

    /// <summary>A branch or jump with a forward target (a label index) followed by its delay slot.</summary>
    private static Gen<string[]> Branch(Gen<string> slot)
    {
        var s = Gen.Elements(Src);
        var d = Gen.Elements(Dest);
        var dist = Gen.Choose(1, 6);
        var two = Gen.Elements("beq", "bne", "beql", "bnel")
            .SelectMany(op => s.SelectMany(a => s.Select(b => $"{op} {R(a)}, {R(b)}, ")));
        var one = Gen.Elements("blez", "bgtz", "bltz", "bgez", "blezl", "bgtzl", "bltzl", "bgezl")
            .SelectMany(op => s.Select(a => $"{op} {R(a)}, "));
        // Linking branches must not test $ra (UNPREDICTABLE; GNU as rejects it).
        var link = Gen.Elements("bltzal", "bgezal", "bltzall", "bgezall")
            .SelectMany(op => Gen.Elements(Src.Where(r => r != 31).ToArray()).Select(a => $"{op} {R(a)}, "));
        var jump = Gen.Elements("b ", "bal ", "j ", "jal ");
        var simpleBranch = Gen.Frequency((5, two), (5, one), (2, link), (3, jump))
            .SelectMany(b => dist.SelectMany(n => slot.Select(sl => new[] { b + "{L:" + n + "}", sl })));
        // JR/JALR through a register loaded with the target address.
        var indirect = d.SelectMany(r => dist.SelectMany(n => Gen.Elements(true, false).SelectMany(link => d.SelectMany(rd => slot.Select(sl =>
            new[]
            {
                $"lui {R(r)}, %hi({{L:{n}}})",
                $"addiu {R(r)}, {R(r)}, %lo({{L:{n}}})",
                link && rd != r ? $"jalr {R(rd)}, {R(r)}" : $"jr {R(r)}",
                sl,
            })))));
        return Gen.Frequency((6, simpleBranch), (1, indirect));
    }

    public static Gen<Sequence> Sequences()
    {
        var simple = Simple();
        var item = Gen.Frequency((5, simple.Select(x => new[] { x })), (1, Branch(simple)));
        var body = Gen.Choose(4, 24).SelectMany(n => item.ArrayOf(n));
        var word = Gen.Choose(int.MinValue, int.MaxValue).Select(v => (uint)v);
        var special = Gen.Elements(0u, 1u, 0x7fff_ffffu, 0x8000_0000u, 0xffff_ffffu, 0xffffu, 0x8000u, 31u, 32u);
        var reg = Gen.Frequency((6, word), (1, special));
        return reg.ArrayOf(32).SelectMany(init => word.ArrayOf(64).SelectMany(buffer => body.Select(items =>
        {
            // Resolve forward label offsets ({L:n} = n items ahead) to absolute item labels.
            var lines = new List<string>();
            for (var i = 0; i < items.Length; i++)
            {
                lines.Add($"{{LABEL:{i}}}");
                foreach (var line in items[i])
                {
                    var open = line.IndexOf("{L:", StringComparison.Ordinal);
                    if (open < 0)
                    {
                        lines.Add(line);
                        continue;
                    }
                    var close = line.IndexOf('}', open);
                    var n = int.Parse(line[(open + 3)..close], CultureInfo.InvariantCulture);
                    var target = Math.Min(i + n, items.Length);
                    lines.Add(string.Concat(line.AsSpan(0, open), $"{{T:{target}}}", line.AsSpan(close + 1)));
                }
            }
            lines.Add($"{{LABEL:{items.Length}}}");
            return new Sequence(init, init[29], init[30], buffer, [.. lines]);
        })));
    }

    /// <summary>Assembly source of a static mipsel Linux program running <paramref name="sequences"/> in order.</summary>
    public static string Program(IReadOnlyList<Sequence> sequences)
    {
        var sb = new StringBuilder(sequences.Count * 4000);
        sb.Append(".set noreorder\n.set noat\n.text\n.globl __start\n__start:\n");
        for (var q = 0; q < sequences.Count; q++)
        {
            var seq = sequences[q];
            sb.Append(CultureInfo.InvariantCulture, $"seq{q}:\n");
            sb.Append(CultureInfo.InvariantCulture, $"lui $30, %hi(data+{q * RegionSize})\naddiu $30, $30, %lo(data+{q * RegionSize})\n");
            sb.Append(CultureInfo.InvariantCulture, $"lui $1, 0x{seq.Hi >> 16:x}\nori $1, $1, 0x{seq.Hi & 0xffff:x}\nmthi $1\n");
            sb.Append(CultureInfo.InvariantCulture, $"lui $1, 0x{seq.Lo >> 16:x}\nori $1, $1, 0x{seq.Lo & 0xffff:x}\nmtlo $1\n");
            foreach (var r in Dest)
                sb.Append(CultureInfo.InvariantCulture, $"lui {R(r)}, 0x{seq.Init[r] >> 16:x}\nori {R(r)}, {R(r)}, 0x{seq.Init[r] & 0xffff:x}\n");
            foreach (var line in seq.Body)
            {
                if (line.StartsWith("{LABEL:", StringComparison.Ordinal))
                    sb.Append(CultureInfo.InvariantCulture, $"s{q}_{line[7..^1]}:\n");
                else
                {
                    var open = line.IndexOf("{T:", StringComparison.Ordinal);
                    if (open < 0)
                        sb.Append(line).Append('\n');
                    else
                    {
                        var close = line.IndexOf('}', open);
                        sb.Append(line.AsSpan(0, open)).Append(CultureInfo.InvariantCulture, $"s{q}_{line[(open + 3)..close]}").Append(line.AsSpan(close + 1)).Append('\n');
                    }
                }
            }
            var slot = 256;
            foreach (var r in Dest)
            {
                sb.Append(CultureInfo.InvariantCulture, $"sw {R(r)}, {slot}($30)\n");
                slot += 4;
            }
            sb.Append(CultureInfo.InvariantCulture, $"mfhi $1\nsw $1, {slot}($30)\nmflo $1\nsw $1, {slot + 4}($30)\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"""
            li $2, 4004
            li $4, 1
            lui $5, %hi(data)
            addiu $5, $5, %lo(data)
            li $6, {sequences.Count * RegionSize}
            syscall
            li $2, 4246
            li $4, 0
            syscall
            .data
            .align 4
            data:

            """);
        foreach (var seq in sequences)
        {
            for (var i = 0; i < 64; i += 8)
                sb.Append(".word ").AppendJoin(", ", seq.Buffer.Skip(i).Take(8).Select(w => "0x" + w.ToString("x", CultureInfo.InvariantCulture))).Append('\n');
            sb.Append(CultureInfo.InvariantCulture, $".space {RegionSize - 256}\n");
        }
        return sb.ToString();
    }

    /// <summary>The body of sequence <paramref name="q"/> as it appears in the program (for failure messages).</summary>
    public static string Describe(Sequence seq, int q)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"sequence {q}: init ").AppendJoin(' ', seq.Init.Select(v => v.ToString("x8", CultureInfo.InvariantCulture))).Append('\n');
        foreach (var line in seq.Body)
            sb.Append("  ").Append(line).Append('\n');
        return sb.ToString();
    }
}
