using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

public class InterpreterTests
{
    private static TestMachine Run(string source, long max = 10_000_000)
    {
        var m = new TestMachine();
        m.Load(source);
        m.RunToWait(max);
        return m;
    }

    [Test]
    public void Arithmetic_and_logic()
    {
        var m = Run("""
            li $t0, 0x12345678
            li $t1, -3
            addu $t2, $t0, $t1
            subu $t3, $t1, $t0
            and $t4, $t0, $t1
            or $t5, $t0, $zero
            xor $t6, $t0, $t1
            nor $t7, $t0, $t1
            slt $s0, $t1, $t0
            sltu $s1, $t1, $t0
            sltiu $s2, $t0, -1
            lui $s3, 0xbeef
            andi $s4, $t1, 0xff00
            wait
            """);
        Assert.Multiple(() =>
        {
            Assert.That(m[10], Is.EqualTo(0x12345675u));
            Assert.That(m[11], Is.EqualTo(unchecked(0xfffffffdu - 0x12345678u)));
            Assert.That(m[12], Is.EqualTo(0x12345678u & 0xfffffffdu));
            Assert.That(m[13], Is.EqualTo(0x12345678u));
            Assert.That(m[14], Is.EqualTo(0x12345678u ^ 0xfffffffdu));
            Assert.That(m[15], Is.EqualTo(~(0x12345678u | 0xfffffffdu)));
            Assert.That(m[16], Is.EqualTo(1u));
            Assert.That(m[17], Is.EqualTo(0u));
            Assert.That(m[18], Is.EqualTo(1u));
            Assert.That(m[19], Is.EqualTo(0xbeef0000u));
            Assert.That(m[20], Is.EqualTo(0xff00u));
        });
    }

    [Test]
    public void Shifts_rotates_and_bit_fields()
    {
        var m = Run("""
            li $t0, 0x80f0000f
            sll $t1, $t0, 4
            srl $t2, $t0, 4
            sra $t3, $t0, 4
            rotr $t4, $t0, 4
            li $a0, 36
            sllv $t5, $t0, $a0
            rotrv $t6, $t0, $a0
            ext $t7, $t0, 4, 8
            li $s0, 0xffffffff
            ins $s0, $zero, 8, 12
            wsbh $s1, $t0
            seb $s2, $t0
            seh $s3, $t0
            clz $s4, $t2
            clo $s5, $t3
            wait
            """);
        Assert.Multiple(() =>
        {
            Assert.That(m[9], Is.EqualTo(0x0f0000f0u));
            Assert.That(m[10], Is.EqualTo(0x080f0000u));
            Assert.That(m[11], Is.EqualTo(0xf80f0000u));
            Assert.That(m[12], Is.EqualTo(0xf80f0000u));
            Assert.That(m[13], Is.EqualTo(0x0f0000f0u));
            Assert.That(m[14], Is.EqualTo(0xf80f0000u));
            Assert.That(m[15], Is.EqualTo(0x00u));
            Assert.That(m[16], Is.EqualTo(0xfff000ffu));
            Assert.That(m[17], Is.EqualTo(0xf0800f00u));
            Assert.That(m[18], Is.EqualTo(0x0000000fu));
            Assert.That(m[19], Is.EqualTo(0x0000000fu));
            Assert.That(m[20], Is.EqualTo(4u));
            Assert.That(m[21], Is.EqualTo(5u));
        });
    }

    [Test]
    public void Multiply_divide_and_accumulate()
    {
        var m = Run("""
            li $t0, -7
            li $t1, 3
            mult $t0, $t1
            mflo $s0
            mfhi $s1
            multu $t0, $t1
            mflo $s2
            mfhi $s3
            div $t0, $t1
            mflo $s4
            mfhi $s5
            divu $t0, $t1
            mflo $s6
            mfhi $s7
            mul $t2, $t0, $t1
            mtlo $zero
            mthi $zero
            madd $t0, $t1
            madd $t0, $t1
            msubu $t1, $t1
            mflo $t3
            mfhi $t4
            wait
            """);
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(unchecked((uint)-21)));
            Assert.That(m[17], Is.EqualTo(0xffffffffu));
            Assert.That(m[18], Is.EqualTo(unchecked((uint)(0xfffffff9ul * 3))));
            Assert.That(m[19], Is.EqualTo(2u));
            Assert.That(m[20], Is.EqualTo(unchecked((uint)-2)));
            Assert.That(m[21], Is.EqualTo(unchecked((uint)-1)));
            Assert.That(m[22], Is.EqualTo(0xfffffff9u / 3));
            Assert.That(m[23], Is.EqualTo(0xfffffff9u % 3));
            Assert.That(m[10], Is.EqualTo(unchecked((uint)-21)));
            Assert.That(m[11], Is.EqualTo(unchecked((uint)(-42 - 9))));
            Assert.That(m[12], Is.EqualTo(0xffffffffu));
        });
    }

    [Test]
    public void Division_by_zero_divides_by_one_like_qemu()
    {
        var m = Run("""
            li $t0, 1234
            div $t0, $zero
            mflo $s0
            mfhi $s1
            li $t1, 0x80000000
            li $t2, -1
            div $t1, $t2
            mflo $s2
            mfhi $s3
            wait
            """);
        Assert.That(new[] { m[16], m[17], m[18], m[19] }, Is.EqualTo(new uint[] { 1234, 0, 0x80000000, 0 }));
    }

    [Test]
    public void Delay_slots_execute_and_likely_slots_are_annulled()
    {
        var m = Run("""
                li $t0, 1
                beq $t0, $zero, skip
                addiu $s0, $zero, 11      # delay slot: executes although not taken
                beql $t0, $zero, skip
                addiu $s1, $zero, 22      # annulled
                bnel $t0, $zero, there
                addiu $s2, $zero, 33      # executes: taken
                addiu $s3, $zero, 44      # skipped
            there:
                jal sub
                addiu $s4, $zero, 55      # delay slot of jal
                b out
                nop
            skip:
                addiu $s5, $zero, 66
            sub:
                jr $ra
                addiu $s6, $zero, 77
            out:
                bal here
                nop
            here:
                move $s7, $ra
                wait
            """);
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(11u));
            Assert.That(m[17], Is.EqualTo(0u));
            Assert.That(m[18], Is.EqualTo(33u));
            Assert.That(m[19], Is.EqualTo(0u));
            Assert.That(m[20], Is.EqualTo(55u));
            Assert.That(m[21], Is.EqualTo(0u));
            Assert.That(m[22], Is.EqualTo(77u));
            Assert.That(m[23], Is.EqualTo(m.Symbol("here")));
            Assert.That(m[31], Is.EqualTo(m.Symbol("here")));
        });
    }

    [Test]
    public void Unaligned_word_access_with_lwl_lwr_swl_swr()
    {
        var m = Run("""
                la $a0, buf
                li $t0, 0x44332211
                sw $t0, 0($a0)
                li $t0, 0x88776655
                sw $t0, 4($a0)
                li $t1, 0
                lwr $t1, 1($a0)
                lwl $t1, 4($a0)
                li $t2, 0xaabbccdd
                swr $t2, 9($a0)
                swl $t2, 12($a0)
                lw $t3, 8($a0)
                lw $t4, 12($a0)
                lb $t5, 7($a0)
                lbu $t6, 7($a0)
                lh $t7, 6($a0)
                lhu $s0, 6($a0)
                wait
                .align 4
            buf: .space 16
            """);
        Assert.Multiple(() =>
        {
            Assert.That(m[9], Is.EqualTo(0x55443322u));
            Assert.That(m[11], Is.EqualTo(0xbbccdd00u));
            Assert.That(m[12], Is.EqualTo(0x000000aau));
            Assert.That(m[13], Is.EqualTo(0xffffff88u));
            Assert.That(m[14], Is.EqualTo(0x88u));
            Assert.That(m[15], Is.EqualTo(0xffff8877u));
            Assert.That(m[16], Is.EqualTo(0x8877u));
        });
    }

    [Test]
    public void Ll_sc_succeeds_once_and_eret_clears_the_llbit()
    {
        var m = new TestMachine();
        m.Load("""
                la $a0, word
                ll $t0, 0($a0)
                addiu $t0, $t0, 1
                sc $t0, 0($a0)        # succeeds: $t0 = 1
                ll $t1, 0($a0)
                sc $t1, 0($a0)        # succeeds
                sc $t2, 0($a0)        # LLbit already cleared: fails
                ll $t3, 0($a0)
                la $t4, after
                mtc0 $t4, $30         # ErrorEPC (ERL = 1 after reset)
                eret
            after:
                sc $t3, 0($a0)        # ERET cleared the LLbit: fails
                lw $s0, 0($a0)
                wait
            word: .word 41
            """);
        m.RunToWait();
        Assert.That(new[] { m[8], m[9], m[10], m[11], m[16] }, Is.EqualTo(new uint[] { 1, 1, 0, 0, 42 }));
    }

    [Test]
    public void Writes_to_zero_are_discarded_but_side_effects_remain()
    {
        var m = Run("""
                la $a0, word
                addiu $zero, $zero, 5
                lw $zero, 0($a0)
                or $s0, $zero, $zero
                jal next
                or $s1, $zero, $zero
            next:
                wait
            word: .word 7
            """);
        Assert.That(new[] { m[0], m[16], m[17] }, Is.EqualTo(new uint[] { 0, 0, 0 }));
    }

    [Test]
    public void Self_modifying_code_sees_the_new_instruction()
    {
        var m = Run("""
                la $a0, patch
                li $t0, 0x24100063    # addiu $s0, $zero, 99
                li $t1, 0
            loop:
            patch:
                addiu $s0, $zero, 1
                bnez $t1, done
                nop
                sw $t0, 0($a0)
                b loop
                addiu $t1, $zero, 1
            done:
                wait
            """);
        Assert.That(m[16], Is.EqualTo(99u));
    }

    [Test]
    public void Instruction_limit_can_stop_between_a_branch_and_its_slot()
    {
        var m = new TestMachine();
        m.Load("""
            loop:
                addiu $t0, $t0, 1
                b loop
                addiu $t1, $t1, 1
            """);
        var exit = m.Cpu.Run(2);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Instructions, Is.EqualTo(2));
            Assert.That(m.Cpu.InDelaySlot, Is.True);
            Assert.That(m.Cpu.Pc, Is.EqualTo(TestMachine.CodeBase + 8));
            Assert.That(m[9], Is.Zero);
        });
        var total = 2L;
        for (var i = 0; i < 50; i++)
            total += m.Cpu.Run(1).Instructions;
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(52));
            Assert.That(m[8] + m[9], Is.EqualTo(35u), "52 instructions: 18 + 17 increments and 17 branches");
        });
    }

    [Test]
    public void Instruction_limit_stops_exactly()
    {
        var m = new TestMachine();
        m.Load("""
            loop:
                addiu $t0, $t0, 1
                b loop
                nop
            """);
        var exit = m.Cpu.Run(1000);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.InstructionLimit));
            Assert.That(exit.Instructions, Is.EqualTo(1000));
            Assert.That(m[8], Is.EqualTo(334u));
        });
    }
}
