using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Vz;

/// <summary>The bare-metal runner behind <c>l4re run-elf</c>: stop conditions, emulated sensitive instructions, the JSON report, ELF validation.</summary>
public class BareMetalTests
{
    private static BareMetalMachine Machine(string source, TextWriter? console = null)
    {
        var m = new BareMetalMachine(16 << 20, console);
        var program = Assembler.Assemble(source, 0x8010_0000);
        m.Write(0x8010_0000, program.Bytes, (uint)program.Bytes.Length);
        m.Vcpu.Pc = 0x8010_0000;
        return m;
    }

    [Test]
    public void Json_report_has_the_fixed_shape()
    {
        var m = Machine("li $v0, 0x1234\nli $ra, -1\nmthi $v0\nwait");
        var result = m.Run(1000);
        var json = BareMetalReport.ToJson(result, m.Vcpu);
        Assert.That(json, Does.StartWith("{\"exit\":\"wait\",\"pc\":\"0x8010000c\",\"instructions\":4,\"gpr\":[\"0x00000000\",\"0x00000000\",\"0x00001234\""));
        Assert.That(json, Does.EndWith("\"0xffffffff\"],\"hi\":\"0x00001234\",\"lo\":\"0x00000000\"}"));
        Assert.That(json, Does.Not.Contain(" "));
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("gpr").GetArrayLength(), Is.EqualTo(32));
        Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "exit", "pc", "instructions", "gpr", "hi", "lo" }));
    }

    [Test]
    public void Stops_at_unhandled_hypercalls_faults_and_the_limit()
    {
        var hyp = Machine("nop\nhypcall 5\nnop").Run(100);
        Assert.That((hyp.Stop, hyp.Pc, hyp.Instructions), Is.EqualTo((BareMetalStop.Hypcall, 0x8010_0004u, 2L)));
        var fault = Machine("li $t0, 0xbf000000\nlw $t1, 0($t0)").Run(100);
        Assert.That((fault.Stop, fault.Pc, fault.Instructions), Is.EqualTo((BareMetalStop.Fault, 0x8010_0004u, 1L)));
        var limit = Machine("loop: b loop\nnop").Run(1001);
        Assert.That((limit.Stop, limit.Instructions), Is.EqualTo((BareMetalStop.Limit, 1001L)));
        Assert.That(BareMetalReport.ExitName(limit.Stop), Is.EqualTo("limit"));
    }

    [Test]
    public void Emulates_prid_config7_and_the_outchar_hypercall()
    {
        using var console = new StringWriter();
        var m = Machine("""
                mfc0 $s0, $15
                mfc0 $s1, $16, 7
                li $a0, 0x48
                hypcall 0x160
                li $a0, 0x69
                hypcall 0x160
                wait
            """, console);
        var result = m.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stop, Is.EqualTo(BareMetalStop.Wait));
            Assert.That(m.Vcpu.GetGpr(16), Is.EqualTo(P5600Guest.PrId));
            Assert.That(m.Vcpu.GetGpr(17), Is.Zero);
            Assert.That(console.ToString(), Is.EqualTo("Hi"));
        });
    }

    [Test]
    public void Wait_with_interrupts_enabled_idles_until_the_timer()
    {
        var m = Machine("""
                li $t1, 0x80000000
                mtc0 $t1, $15, 1
                mfc0 $t2, $9
                li $t3, 100000
                addu $t2, $t2, $t3
                mtc0 $t2, $11
                li $t1, 0x00008001
                mtc0 $t1, $12
                wait
                nop
            handler:
                mfc0 $s0, $13
                wait
            """);
        var handler = Assembler.Assemble("""
                li $t1, 0x80000000
                mtc0 $t1, $15, 1
                mfc0 $t2, $9
                li $t3, 100000
                addu $t2, $t2, $t3
                mtc0 $t2, $11
                li $t1, 0x00008001
                mtc0 $t1, $12
                wait
                nop
            handler:
            """, 0x8010_0000)["handler"];
        // The vector jumps to the handler, which reads Cause and stops at WAIT with EXL set.
        var vector = Assembler.Assemble($"j 0x{handler:x}\nnop", 0x8000_0180);
        m.Write(0x8000_0180, vector.Bytes, 8);
        var result = m.Run(10_000);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stop, Is.EqualTo(BareMetalStop.Wait), result.LastExit.ToString());
            Assert.That(result.Pc, Is.EqualTo(handler + 4));
            Assert.That(m.Vcpu.GetGpr(16) & Cp0Bits.CauseTI, Is.Not.Zero, "woken by the timer interrupt");
            Assert.That(m.Vcpu.Cycles, Is.GreaterThan(200_000ul), "idle time passed");
            Assert.That(result.Instructions, Is.LessThan(100));
        });
    }

    [Test]
    public void Elf_images_outside_ram_are_rejected()
    {
        var m = new BareMetalMachine(16 << 20);
        Assert.Throws<InvalidDataException>(() => m.Write(0x8100_0000, new byte[16], 16));
        Assert.Throws<InvalidDataException>(() => m.Write(0xc000_0000, new byte[16], 16));
    }

    [Test]
    public void Malformed_elf_headers_are_invalid_data()
    {
        Assert.Throws<InvalidDataException>(() => Elf32Image.Parse([]));
        Assert.Throws<InvalidDataException>(() => Elf32Image.Parse(new byte[64]));
        var elf = MinimalElf();
        Assert.That(Elf32Image.Parse(elf).Entry, Is.EqualTo(0x8010_0000u));
        elf[18] = 3; // EM_386
        Assert.Throws<InvalidDataException>(() => Elf32Image.Parse(elf));
    }

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property Mutated_elf_files_parse_or_fail_with_invalid_data(byte[] noise, int position)
    {
        var elf = MinimalElf();
        for (var i = 0; i < noise.Length; i++)
            elf[(int)((uint)(position + i * 7) % (uint)elf.Length)] = noise[i];
        try
        {
            var image = Elf32Image.Parse(elf);
            var m = new BareMetalMachine(1 << 20);
            m.Load(image);
            return (m.Run(100).Instructions >= 0).ToProperty();
        }
        catch (InvalidDataException)
        {
            return true.ToProperty();
        }
    }

    /// <summary>A 32-bit little-endian MIPS ET_EXEC with one PT_LOAD segment of 8 bytes at 0x80100000.</summary>
    private static byte[] MinimalElf()
    {
        var b = new byte[52 + 32 + 8];
        b[0] = 0x7f; b[1] = (byte)'E'; b[2] = (byte)'L'; b[3] = (byte)'F';
        b[4] = 1; b[5] = 1; b[6] = 1;
        BitConverter.TryWriteBytes(b.AsSpan(16), (ushort)2);
        BitConverter.TryWriteBytes(b.AsSpan(18), (ushort)8);
        BitConverter.TryWriteBytes(b.AsSpan(20), 1u);
        BitConverter.TryWriteBytes(b.AsSpan(24), 0x8010_0000u);
        BitConverter.TryWriteBytes(b.AsSpan(28), 52u);
        BitConverter.TryWriteBytes(b.AsSpan(42), (ushort)32);
        BitConverter.TryWriteBytes(b.AsSpan(44), (ushort)1);
        var ph = b.AsSpan(52);
        BitConverter.TryWriteBytes(ph, 1u);
        BitConverter.TryWriteBytes(ph[4..], 84u);
        BitConverter.TryWriteBytes(ph[8..], 0x8010_0000u);
        BitConverter.TryWriteBytes(ph[12..], 0x0010_0000u);
        BitConverter.TryWriteBytes(ph[16..], 8u);
        BitConverter.TryWriteBytes(ph[20..], 8u);
        BitConverter.TryWriteBytes(ph[24..], 5u);
        BitConverter.TryWriteBytes(b.AsSpan(84), 0x4200_0020u); // wait
        return b;
    }
}
