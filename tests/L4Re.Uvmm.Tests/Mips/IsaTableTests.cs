using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Tests.Mips;

public class IsaTableTests
{
    [Test]
    public void Every_row_is_consistent()
    {
        foreach (var form in IsaTable.Forms)
        {
            Assert.That(form.Match & ~form.Mask, Is.Zero, $"{form}: match bits outside the mask");
            Assert.That(form.Mask & 0xfc00_0000u, Is.EqualTo(0xfc00_0000u), $"{form}: the opcode must be significant");
            Assert.That(InstructionDecoder.Decode(form.Match), Is.Not.Null, $"{form}: its own match word does not decode");
        }
    }

    [Test]
    public void Rows_with_the_same_significance_never_overlap()
    {
        var forms = IsaTable.Forms;
        for (var i = 0; i < forms.Count; i++)
        {
            for (var j = i + 1; j < forms.Count; j++)
            {
                var a = forms[i];
                var b = forms[j];
                var common = a.Mask & b.Mask;
                var overlap = ((a.Match ^ b.Match) & common) == 0;
                if (overlap && a.Mask == b.Mask)
                    Assert.Fail($"{a} and {b} encode the same words");
            }
        }
    }

    [TestCase("addu $v0, $a0, $a1", 0x00851021u)]
    [TestCase("addiu $sp, $sp, -32", 0x27bdffe0u)]
    [TestCase("lw $ra, 28($sp)", 0x8fbf001cu)]
    [TestCase("sw $s0, 0($a0)", 0xac900000u)]
    [TestCase("jr $ra", 0x03e00008u)]
    [TestCase("jr.hb $ra", 0x03e00408u)]
    [TestCase("jalr $t9", 0x0320f809u)]
    [TestCase("jalr.hb $t9", 0x0320fc09u)]
    [TestCase("nop", 0x00000000u)]
    [TestCase("ehb", 0x000000c0u)]
    [TestCase("sync", 0x0000000fu)]
    [TestCase("syscall", 0x0000000cu)]
    [TestCase("break 7", 0x000001cdu)]
    [TestCase("lui $at, 0x8000", 0x3c018000u)]
    [TestCase("ori $t0, $t0, 0xffff", 0x3508ffffu)]
    [TestCase("mfc0 $k0, $13", 0x401a6800u)]
    [TestCase("mtc0 $t0, $12, 0", 0x40886000u)]
    [TestCase("mfc0 $t0, $15, 1", 0x40087801u)]
    [TestCase("eret", 0x42000018u)]
    [TestCase("wait", 0x42000020u)]
    [TestCase("hypcall 0x160", 0x420b0028u)]
    [TestCase("tlbwi", 0x42000002u)]
    [TestCase("tlbp", 0x42000008u)]
    [TestCase("di $t0", 0x41686000u)]
    [TestCase("ei", 0x41606020u)]
    [TestCase("ext $t0, $t1, 4, 8", 0x7d283900u)]
    [TestCase("ins $t0, $t1, 4, 8", 0x7d285904u)]
    [TestCase("seb $v0, $a0", 0x7c041420u)]
    [TestCase("seh $v0, $a0", 0x7c041620u)]
    [TestCase("wsbh $v0, $a0", 0x7c0410a0u)]
    [TestCase("rdhwr $v1, $29", 0x7c03e83bu)]
    [TestCase("rotr $t0, $t1, 3", 0x002940c2u)]
    [TestCase("rotrv $t0, $t1, $t2", 0x01494046u)]
    [TestCase("clz $v0, $a0", 0x70821020u)]
    [TestCase("mul $v0, $a0, $a1", 0x70851002u)]
    [TestCase("madd $a0, $a1", 0x70850000u)]
    [TestCase("ll $t0, 0($a0)", 0xc0880000u)]
    [TestCase("sc $t0, 0($a0)", 0xe0880000u)]
    [TestCase("cache 0x14, 0($a0)", 0xbc940000u)]
    [TestCase("pref 0, 0($a0)", 0xcc800000u)]
    [TestCase("synci 0($a0)", 0x049f0000u)]
    [TestCase("teq $a0, $zero, 7", 0x008001f4u)]
    [TestCase("move $s0, $a0", 0x00808021u)]
    [TestCase("lwc1 $f2, 8($sp)", 0xc7a20008u)]
    public void Assembles_to_the_gnu_as_encoding(string text, uint word)
    {
        Assert.That(Assembler.AssembleOne(text), Is.EqualTo(word), text);
        Assert.That(InstructionDecoder.Decode(word), Is.Not.Null);
    }

    [Test]
    public void Branch_and_jump_targets_are_relative_to_the_delay_slot()
    {
        var p = Assembler.Assemble("""
            start:
                beq $a0, $a1, target
                nop
                j target
                bal start
            target:
                nop
            """, 0x8000_0100);
        var w = p.Words();
        Assert.Multiple(() =>
        {
            Assert.That(w[0], Is.EqualTo(0x10850003u));
            Assert.That(w[2], Is.EqualTo(0x08000044u));
            Assert.That(w[3], Is.EqualTo(0x0411fffcu));
            Assert.That(Disassembler.Format(w[0], 0x8000_0100), Is.EqualTo("beq $a0, $a1, 0x80000110"));
            Assert.That(Disassembler.Format(w[3], 0x8000_010c), Is.EqualTo("bal 0x80000100"));
        });
    }

    [Test]
    public void Pseudo_instructions_expand_like_gnu_as()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assembler.Assemble("li $t0, 5").Words(), Is.EqualTo(new[] { 0x24080005u }));
            Assert.That(Assembler.Assemble("li $t0, 0x8000").Words(), Is.EqualTo(new[] { 0x34088000u }));
            Assert.That(Assembler.Assemble("li $t0, 0x12340000").Words(), Is.EqualTo(new[] { 0x3c081234u }));
            Assert.That(Assembler.Assemble("li $t0, 0x12345678").Words(), Is.EqualTo(new[] { 0x3c081234u, 0x35085678u }));
            Assert.That(Assembler.Assemble("la $t0, x\nx: .word 0", 0x8000_7ff8).Words()[..2], Is.EqualTo(new[] { 0x3c088001u, 0x25088000u }));
        });
    }

    [Test]
    public void Errors_name_the_line()
    {
        var e = Assert.Throws<AssemblerException>(() => Assembler.Assemble("nop\naddiu $t0, $t1, 70000"));
        Assert.That(e!.Line, Is.EqualTo(2));
        Assert.Throws<AssemblerException>(() => Assembler.Assemble("frobnicate $t0"));
        Assert.Throws<AssemblerException>(() => Assembler.Assemble("b nowhere"));
        Assert.Throws<AssemblerException>(() => Assembler.Assemble("x: nop\nx: nop"));
    }

    /// <summary>Every defined word disassembles to text that assembles back to the same word.</summary>
    [Test]
    public void Disassembly_round_trips_for_random_words()
    {
        var random = new Random(20260401);
        var checkedWords = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var word = (uint)random.NextInt64(0, 1L << 32);
            var pc = (uint)random.Next(0x1000, 0x10000) * 4 + 0x8000_0000;
            var form = InstructionDecoder.Decode(word);
            if (form is null)
                continue;
            // CLZ/CLO must repeat rd in rt; other rt values are not canonical.
            if (form.Op is Op.Clz or Op.Clo && ((word >> 16) & 31) != ((word >> 11) & 31))
                continue;
            // EXT/INS fields reaching past bit 31 are UNPREDICTABLE encodings the assembler rejects.
            var pos = (word >> 6) & 31;
            var field = (word >> 11) & 31;
            if ((form.Op == Op.Ext && pos + field + 1 > 32) || (form.Op == Op.Ins && field < pos))
                continue;
            var text = Disassembler.Format(word, pc);
            Assert.That(Assembler.AssembleOne(text, pc), Is.EqualTo(word), $"{word:x8} → '{text}'");
            checkedWords++;
        }
        Assert.That(checkedWords, Is.GreaterThan(50_000));
    }

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property Decoding_matches_the_first_most_specific_row(uint word)
    {
        var form = InstructionDecoder.Decode(word);
        var best = IsaTable.Forms.Where(f => f.Matches(word)).OrderByDescending(f => f.Specificity).FirstOrDefault();
        return (ReferenceEquals(form, best)).ToProperty();
    }
}
