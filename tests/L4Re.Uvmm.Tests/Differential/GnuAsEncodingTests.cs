using System.Buffers.Binary;
using System.Text;
using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>Cross-checks the instruction-set table against GNU as: random encodings of every row, printed by our disassembler, must assemble to the same words.</summary>
public class GnuAsEncodingTests
{
    [Test]
    public void Gnu_as_encodes_our_disassembly_identically()
    {
        var random = new Random(4242);
        var words = new List<uint>();
        var text = new StringBuilder(".set noreorder\n.set noat\n.set nomacro\n.text\n");
        foreach (var form in IsaTable.Forms)
        {
            // GNU as has no TLBINV/TLBINVF for mips32r5 (Linux emits them as .word 0x42000003/4) and reads BREAK codes as two 10-bit fields.
            if ((form.Flags & InsnFlags.Alias) != 0 || form.Op is Op.Cop1 or Op.Cop2 or Op.Break or Op.Tlbinv or Op.Tlbinvf
                || form.Operands.Any(o => o is OperandKind.Rel16 or OperandKind.Abs26 or OperandKind.CopFunc))
                continue;
            for (var i = 0; i < 40; i++)
            {
                var word = ((uint)random.NextInt64(0, 1L << 32) & ~form.Mask) | form.Match;
                if (!ReferenceEquals(InstructionDecoder.Decode(word, aliases: false), form))
                    continue;
                var pos = (word >> 6) & 31;
                var field = (word >> 11) & 31;
                if ((form.Op == Op.Ext && pos + field + 1 > 32) || (form.Op == Op.Ins && field < pos))
                    continue;
                if (form.Op is Op.Clz or Op.Clo)
                    word = (word & ~(31u << 16)) | (field << 16);
                // GNU as rejects JALR with rd = rs (UNPREDICTABLE).
                if (form.Op == Op.Jalr && ((word >> 21) & 31) == field)
                    continue;
                var line = Disassembler.Format(word, 0, aliases: false);
                // GNU as reads two-operand DIV/DIVU as a checking macro; the machine instruction is "div $zero, rs, rt".
                if (form.Op is Op.Div or Op.Divu)
                    line = string.Concat(line.AsSpan(0, line.IndexOf(' ', StringComparison.Ordinal)), " $zero,", line.AsSpan(line.IndexOf(' ', StringComparison.Ordinal)));
                words.Add(word);
                text.Append(line).Append('\n');
            }
        }
        var dir = CrossTools.TempDir("gnu-as");
        File.WriteAllText(Path.Combine(dir, "t.s"), text.ToString());
        CrossTools.Run(CrossTools.As, "-mips32r5 -mvirt -mno-fix-loongson3-llsc -EL -o t.o t.s", dir);
        CrossTools.Run(CrossTools.Objcopy, "-O binary -j .text t.o t.bin", dir);
        var bytes = File.ReadAllBytes(Path.Combine(dir, "t.bin"));
        Assert.That(bytes.Length, Is.InRange(words.Count * 4, words.Count * 4 + 12), "objcopy pads .text to 16 bytes at most");
        var lines = text.ToString().Split('\n').Skip(4).ToArray();
        for (var i = 0; i < words.Count; i++)
        {
            var gnu = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
            Assert.That(gnu, Is.EqualTo(words[i]), $"'{lines[i]}': GNU as 0x{gnu:x8}, ours 0x{words[i]:x8}");
        }
        Assert.That(words, Has.Count.GreaterThan(3000));
        Directory.Delete(dir, true);
    }
}
