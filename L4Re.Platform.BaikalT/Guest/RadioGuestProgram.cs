using System.Globalization;
using System.Text;
using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Uvmm.Mips;

namespace L4Re.Platform.BaikalT.Guest;

/// <summary>
/// The stand-in for OpenWrt until the Debian Linux boot is available: a bare-metal MIPS32r2 program, written in
/// assembly and assembled with the in-repo <see cref="Assembler"/>, that runs on the VZ vCPU engine in the untrusted VM
/// and does what OpenWrt's userland would do through Linux drivers: it prints on its console (the passed-through
/// DW APB UART1 at 0x1f04b000, polled), drives the virtio-mmio console at 0x30020000 — the radio control channel,
/// a line protocol the VMM forwards to the trusted Wi-Fi component over IPC — and the virtio-mmio network device at
/// 0x30010000 (a port of the virtual switch), both with split virtqueues of <see cref="QueueSize"/> entries; it sleeps
/// with WAIT on the CP0 timer (IP7) and can poke the Wi-Fi NIC's registers directly. The uvmm devices above
/// 0x20000000 are reached through a wired TLB entry (kseg2 0xc0000000 → 0x30000000, 256 KiB pages), as Linux's
/// ioremap would. The program is loaded at guest-physical 0 (kseg0 0x80000000) with its exception vector at
/// 0x80000180; it ends with HYPCALL power-off (uvmm's SDK code 0x161).
/// </summary>
public static class RadioGuestProgram
{
    /// <summary>Load address (kseg0) and entry point.</summary>
    public const uint Entry = 0x8000_0000;

    /// <summary>Virtqueue size the program uses.</summary>
    public const int QueueSize = 8;

    /// <summary>The default script: the prpl router story (docs/sample.md).</summary>
    public static IReadOnlyList<GuestStep> DefaultScript { get; } =
    [
        new GuestStep.Print("OpenWrt (stand-in) up on a P5600 vCPU"),
        new GuestStep.Radio("info"),
        new GuestStep.Radio("set 5180 80 17 ap"),
        new GuestStep.SendFrame("hello from OpenWrt over the air"),
        new GuestStep.Sleep(1),
        new GuestStep.Radio("set 5180 80 30 ap"),
        new GuestStep.Radio("set 5260 80 20 ap"),
        new GuestStep.Radio("cac 5260 80"),
        new GuestStep.Sleep(61),
        new GuestStep.Radio("set 5260 80 20 ap"),
        new GuestStep.Radio("country DE"),
        new GuestStep.Radio("set 5180 35 17 ap"),
        new GuestStep.Radio("set 5180 eighty 17 ap"),
        new GuestStep.Sleep(5),
        new GuestStep.Radio("status"),
        new GuestStep.Radio("set 5260 80 20 ap"),
        new GuestStep.PollFrames(),
        new GuestStep.ProbeNic(0x24, 3000),
    ];

    /// <summary>Assembles the program for <paramref name="script"/>.</summary>
    /// <exception cref="ArgumentException">A text contains characters the program cannot carry.</exception>
    public static AssembledProgram Build(IEnumerable<GuestStep> script) => Assembler.Assemble(Source(script), Entry);

    /// <summary>The assembly source for <paramref name="script"/>.</summary>
    public static string Source(IEnumerable<GuestStep> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var steps = new StringBuilder();
        var data = new StringBuilder();
        var n = 0;
        foreach (var step in script)
        {
            var label = $"step{n++}";
            switch (step)
            {
                case GuestStep.Print p:
                    data.Append(CultureInfo.InvariantCulture, $"{label}: .asciz \"{Escape(p.Text)}\\n\"\n");
                    steps.Append(CultureInfo.InvariantCulture, $"    la $a0, {label}\n    jal puts\n    nop\n");
                    break;
                case GuestStep.Radio r:
                    data.Append(CultureInfo.InvariantCulture, $"{label}: .asciz \"{Escape(r.Line)}\\n\"\n");
                    steps.Append(CultureInfo.InvariantCulture, $"    la $a0, {label}\n    jal radio\n    nop\n");
                    break;
                case GuestStep.SendFrame f:
                    var payload = Escape(f.Payload);
                    data.Append(CultureInfo.InvariantCulture, $"{label}: .asciz \"{payload}\"\n");
                    steps.Append(CultureInfo.InvariantCulture, $"    la $a0, {label}\n    jal net_send\n    nop\n");
                    break;
                case GuestStep.PollFrames:
                    steps.Append("    jal net_poll\n    nop\n");
                    break;
                case GuestStep.Sleep s:
                    ArgumentOutOfRangeException.ThrowIfNegative(s.Seconds);
                    steps.Append(CultureInfo.InvariantCulture, $"    li $a0, {s.Seconds}\n    jal sleep_s\n    nop\n");
                    break;
                case GuestStep.ProbeNic probe:
                    steps.Append(CultureInfo.InvariantCulture, $"    la $a0, msg_probe\n    jal puts\n    nop\n    li $t0, 0x{0xa000_0000u | (uint)BoardIoConfig.WifiBar0:x8}\n    li $t1, {probe.Value}\n    sw $t1, {probe.Offset}($t0)\n    la $a0, msg_probed\n    jal puts\n    nop\n");
                    break;
                default:
                    throw new ArgumentException($"unknown step {step}", nameof(script));
            }
        }
        return Template
            .Replace("@TICKS@", (P5600Core.CountHz).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@STEPS@", steps.ToString(), StringComparison.Ordinal)
            .Replace("@DATA@", data.ToString(), StringComparison.Ordinal);
    }

    private static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (c < 0x20 || c > 0x7e || c is ';' or '"' or '\\' or '#')
                throw new ArgumentException($"the guest program cannot carry the character 0x{(int)c:x2} in '{text}'", nameof(text));
        }
        return text;
    }

    // Memory (guest-physical): program from 0, stack below 0x70000, virtqueues and buffers from 0x80000.
    private const string Template = """
        .set noreorder
        .equ UART, 0xbf04b000
        .equ VNET, 0xc0010000
        .equ VCON, 0xc0020000
        .equ QSIZE, 8
        .equ CONQ, 0x80080000
        .equ NETQ, 0x80082000
        .equ CONRX, 0x80084000
        .equ CONTX, 0x80085000
        .equ NETRX, 0x80086000
        .equ NETTX, 0x80088000
        .equ TICKS, @TICKS@

        .org 0x80000000
            b start
            nop

        .org 0x80000180
        exc_vector:
            mfc0 $k0, $13
            andi $k1, $k0, 0x7c
            bnez $k1, fatal
            nop
            mfc0 $k0, $11
            mtc0 $k0, $11
            eret
            nop
        fatal:
            la $a0, msg_fatal
            jal puts
            nop
            li $a0, 2
            hypcall 0x161
            b fatal
            nop

        start:
            li $sp, 0x80070000
            mtc0 $zero, $0
            li $t0, 0x7e000
            mtc0 $t0, $5
            li $t0, 0xc0000000
            mtc0 $t0, $10
            li $t0, 0x00c00017
            mtc0 $t0, $2
            li $t0, 0x00c01017
            mtc0 $t0, $3
            tlbwi
            li $t0, 1
            mtc0 $t0, $6
            ehb
            li $a0, VCON
            li $a1, 0x00080000
            jal vio_init
            li $a2, 2
            bnez $v0, init_failed
            nop
            li $a0, VNET
            li $a1, 0x00082000
            jal vio_init
            li $a2, 2
            bnez $v0, init_failed
            nop
            li $s0, 0
        post_con:
            li $a0, CONQ
            li $a1, CONRX
            jal rx_post
            li $a2, 256
            addiu $s0, $s0, 1
            slti $t0, $s0, QSIZE
            bnez $t0, post_con
            nop
            li $t0, VCON
            sw $zero, 0x50($t0)
            li $a0, NETQ
            li $a1, NETRX
            jal rx_post
            li $a2, 2048
            li $t0, VNET
            sw $zero, 0x50($t0)
            la $t0, frame
            li $t1, VNET
            li $t2, 0
        copy_mac:
            addu $t3, $t1, $t2
            lbu $t4, 0x100($t3)
            addu $t3, $t0, $t2
            sb $t4, 18($t3)
            addiu $t2, $t2, 1
            slti $t3, $t2, 6
            bnez $t3, copy_mac
            nop
        @STEPS@
            la $a0, msg_done
            jal puts
            nop
            li $a0, 0
            hypcall 0x161
        halt:
            b halt
            nop
        init_failed:
            la $a0, msg_init
            jal puts
            nop
            li $a0, 3
            hypcall 0x161
            b halt
            nop

        # ---- console output (DW APB UART, reg-shift 2: THR 0x00, LSR 0x14) ----
        putc:
            li $t8, UART
        putc_wait:
            lw $t9, 0x14($t8)
            andi $t9, $t9, 0x20
            beqz $t9, putc_wait
            nop
            jr $ra
            sw $a0, 0($t8)

        puts:
            addiu $sp, $sp, -16
            sw $ra, 12($sp)
            sw $s7, 8($sp)
            move $s7, $a0
        puts_loop:
            lbu $a0, 0($s7)
            beqz $a0, puts_done
            nop
            jal putc
            addiu $s7, $s7, 1
            b puts_loop
            nop
        puts_done:
            lw $s7, 8($sp)
            lw $ra, 12($sp)
            jr $ra
            addiu $sp, $sp, 16

        putdec:
            addiu $sp, $sp, -32
            sw $ra, 28($sp)
            sw $s6, 24($sp)
            move $t0, $a0
            addiu $s6, $sp, 20
            sb $zero, 0($s6)
            li $t1, 10
        putdec_loop:
            divu $t0, $t1
            mfhi $t2
            mflo $t0
            addiu $t2, $t2, 48
            addiu $s6, $s6, -1
            bnez $t0, putdec_loop
            sb $t2, 0($s6)
            jal puts
            move $a0, $s6
            lw $s6, 24($sp)
            lw $ra, 28($sp)
            jr $ra
            addiu $sp, $sp, 32

        # ---- virtio-mmio (version 2) ----
        # vio_init(a0 = registers, a1 = physical area of queue 0 (queues 0x1000 apart), a2 = queues) -> v0 = 0 ok
        vio_init:
            lw $t0, 0($a0)
            li $t1, 0x74726976
            bne $t0, $t1, vio_fail
            nop
            lw $t0, 4($a0)
            li $t1, 2
            bne $t0, $t1, vio_fail
            nop
            sw $zero, 0x70($a0)
            li $t0, 1
            sw $t0, 0x70($a0)
            li $t0, 3
            sw $t0, 0x70($a0)
            sw $zero, 0x24($a0)
            sw $zero, 0x20($a0)
            li $t0, 1
            sw $t0, 0x24($a0)
            sw $t0, 0x20($a0)
            li $t0, 0xb
            sw $t0, 0x70($a0)
            lw $t0, 0x70($a0)
            andi $t0, $t0, 8
            beqz $t0, vio_fail
            nop
            move $t2, $zero
        vio_queue:
            sw $t2, 0x30($a0)
            lw $t0, 0x34($a0)
            sltiu $t1, $t0, QSIZE
            bnez $t1, vio_fail
            nop
            li $t0, QSIZE
            sw $t0, 0x38($a0)
            sll $t3, $t2, 12
            addu $t3, $t3, $a1
            sw $t3, 0x80($a0)
            sw $zero, 0x84($a0)
            addiu $t4, $t3, 0x100
            sw $t4, 0x90($a0)
            sw $zero, 0x94($a0)
            addiu $t4, $t3, 0x200
            sw $t4, 0xa0($a0)
            sw $zero, 0xa4($a0)
            li $t0, 1
            sw $t0, 0x44($a0)
            lw $t0, 0x44($a0)
            beqz $t0, vio_fail
            nop
            addiu $t2, $t2, 1
            bne $t2, $a2, vio_queue
            nop
            li $t0, 0xf
            sw $t0, 0x70($a0)
            jr $ra
            move $v0, $zero
        vio_fail:
            jr $ra
            addiu $v0, $zero, 1

        # q_add(a0 = queue area (kseg0), a1 = buffer physical, a2 = length, a3 = flags): descriptor index = avail.idx % QSIZE
        q_add:
            lhu $t0, 0x102($a0)
            andi $t1, $t0, QSIZE-1
            sll $t2, $t1, 4
            addu $t2, $t2, $a0
            sw $a1, 0($t2)
            sw $zero, 4($t2)
            sw $a2, 8($t2)
            sh $a3, 12($t2)
            sh $zero, 14($t2)
            sll $t3, $t1, 1
            addu $t3, $t3, $a0
            sh $t1, 0x104($t3)
            sync
            addiu $t0, $t0, 1
            jr $ra
            sh $t0, 0x102($a0)

        # rx_post(a0 = queue area, a1 = buffer base (kseg0), a2 = buffer size): posts buffer base + index * size, device-writable
        rx_post:
            lhu $t0, 0x102($a0)
            andi $t1, $t0, QSIZE-1
            multu $t1, $a2
            mflo $t5
            addu $a1, $a1, $t5
            li $t5, 0x1fffffff
            and $a1, $a1, $t5
            b q_add
            li $a3, 2

        # used_wait(a0 = queue area, a1 = last seen index) -> v0 = 1 when used.idx != last, 0 after the poll limit
        used_wait:
            li $t6, 100000
        used_loop:
            lhu $t0, 0x202($a0)
            bne $t0, $a1, used_yes
            addiu $t6, $t6, -1
            bnez $t6, used_loop
            nop
            jr $ra
            move $v0, $zero
        used_yes:
            jr $ra
            addiu $v0, $zero, 1

        # radio(a0 = request line): prints it, sends it on the console transmitq, prints the reply line from receiveq
        radio:
            addiu $sp, $sp, -32
            sw $ra, 28($sp)
            sw $s0, 24($sp)
            sw $s1, 20($sp)
            sw $s2, 16($sp)
            move $s0, $a0
            la $a0, msg_req
            jal puts
            nop
            jal puts
            move $a0, $s0
            li $t0, CONTX
            move $t1, $s0
        radio_copy:
            lbu $t2, 0($t1)
            sb $t2, 0($t0)
            addiu $t0, $t0, 1
            bnez $t2, radio_copy
            addiu $t1, $t1, 1
            subu $a2, $t1, $s0
            addiu $a2, $a2, -1
            li $a0, CONQ+0x1000
            lhu $s1, 0x202($a0)
            li $a1, 0x00085000
            jal q_add
            move $a3, $zero
            li $t0, VCON
            li $t1, 1
            sw $t1, 0x50($t0)
            li $a0, CONQ+0x1000
            jal used_wait
            move $a1, $s1
            la $a0, msg_rep
            jal puts
            nop
        radio_reply:
            la $t0, con_last
            lhu $s1, 0($t0)
            li $a0, CONQ
            jal used_wait
            move $a1, $s1
            beqz $v0, radio_noreply
            nop
            li $t0, CONQ
            andi $t1, $s1, QSIZE-1
            sll $t1, $t1, 3
            addu $t1, $t1, $t0
            lw $t2, 0x204($t1)
            lw $s2, 0x208($t1)
            sll $t2, $t2, 8
            li $t3, CONRX
            addu $s1, $t2, $t3
            addu $s2, $s2, $s1
        radio_char:
            beq $s1, $s2, radio_next
            nop
            lbu $a0, 0($s1)
            jal putc
            addiu $s1, $s1, 1
            li $t0, 10
            bne $a0, $t0, radio_char
            nop
            jal radio_repost
            nop
            b radio_out
            nop
        radio_next:
            jal radio_repost
            nop
            b radio_reply
            nop
        radio_noreply:
            la $a0, msg_noreply
            jal puts
            nop
        radio_out:
            lw $s2, 16($sp)
            lw $s1, 20($sp)
            lw $s0, 24($sp)
            lw $ra, 28($sp)
            jr $ra
            addiu $sp, $sp, 32

        # radio_repost: consume one used receive buffer and give a fresh one back
        radio_repost:
            addiu $sp, $sp, -16
            sw $ra, 12($sp)
            la $t0, con_last
            lhu $t1, 0($t0)
            addiu $t1, $t1, 1
            sh $t1, 0($t0)
            li $a0, CONQ
            li $a1, CONRX
            jal rx_post
            li $a2, 256
            li $t0, VCON
            sw $zero, 0x50($t0)
            lw $ra, 12($sp)
            jr $ra
            addiu $sp, $sp, 16

        # net_send(a0 = payload string): 12-byte virtio-net header + broadcast frame (EtherType 0x88b5)
        net_send:
            addiu $sp, $sp, -16
            sw $ra, 12($sp)
            sw $s0, 8($sp)
            move $s0, $a0
            la $a0, msg_tx
            jal puts
            nop
            jal puts
            move $a0, $s0
            la $a0, msg_nl
            jal puts
            nop
            la $t0, frame
            li $t1, NETTX
            li $t2, 0
        net_hdr:
            addu $t3, $t0, $t2
            lbu $t4, 0($t3)
            addu $t3, $t1, $t2
            sb $t4, 0($t3)
            addiu $t2, $t2, 1
            slti $t3, $t2, 26
            bnez $t3, net_hdr
            nop
            move $t3, $s0
        net_payload:
            lbu $t4, 0($t3)
            addu $t5, $t1, $t2
            sb $t4, 0($t5)
            addiu $t2, $t2, 1
            bnez $t4, net_payload
            addiu $t3, $t3, 1
            slti $t3, $t2, 72
            beqz $t3, net_go
            nop
        net_pad:
            addu $t5, $t1, $t2
            sb $zero, 0($t5)
            addiu $t2, $t2, 1
            slti $t3, $t2, 72
            bnez $t3, net_pad
            nop
        net_go:
            move $a2, $t2
            li $a0, NETQ+0x1000
            lhu $s0, 0x202($a0)
            li $a1, 0x00088000
            jal q_add
            move $a3, $zero
            li $t0, VNET
            li $t1, 1
            sw $t1, 0x50($t0)
            li $a0, NETQ+0x1000
            jal used_wait
            move $a1, $s0
            lw $s0, 8($sp)
            lw $ra, 12($sp)
            jr $ra
            addiu $sp, $sp, 16

        # net_poll: print every received frame: length and payload
        net_poll:
            addiu $sp, $sp, -16
            sw $ra, 12($sp)
            sw $s0, 8($sp)
        net_poll_next:
            la $t0, net_last
            lhu $s0, 0($t0)
            li $t0, NETQ
            lhu $t1, 0x202($t0)
            beq $t1, $s0, net_poll_done
            nop
            la $a0, msg_rx
            jal puts
            nop
            li $t0, NETQ
            andi $t1, $s0, QSIZE-1
            sll $t1, $t1, 3
            addu $t1, $t1, $t0
            lw $a0, 0x208($t1)
            jal putdec
            addiu $a0, $a0, -12
            la $a0, msg_bytes
            jal puts
            nop
            li $t0, NETQ
            andi $t1, $s0, QSIZE-1
            sll $t1, $t1, 3
            addu $t1, $t1, $t0
            lw $t2, 0x204($t1)
            sll $t2, $t2, 11
            li $t3, NETRX
            addu $t2, $t2, $t3
            jal puts
            addiu $a0, $t2, 26
            la $a0, msg_nl
            jal puts
            nop
            la $t0, net_last
            addiu $s0, $s0, 1
            sh $s0, 0($t0)
            li $a0, NETQ
            li $a1, NETRX
            jal rx_post
            li $a2, 2048
            li $t0, VNET
            sw $zero, 0x50($t0)
            b net_poll_next
            nop
        net_poll_done:
            lw $s0, 8($sp)
            lw $ra, 12($sp)
            jr $ra
            addiu $sp, $sp, 16

        # sleep_s(a0 = seconds): WAIT on the CP0 timer, one second at a time
        sleep_s:
            addiu $sp, $sp, -16
            sw $ra, 12($sp)
            sw $s0, 8($sp)
            move $s0, $a0
            la $a0, msg_sleep
            jal puts
            nop
            jal putdec
            move $a0, $s0
            la $a0, msg_s
            jal puts
            nop
        sleep_next:
            beqz $s0, sleep_done
            nop
            mfc0 $t0, $9
            li $t1, TICKS
            addu $t1, $t0, $t1
            mtc0 $t1, $11
            li $t2, 0x8001
            mtc0 $t2, $12
        sleep_wait:
            wait
            mfc0 $t3, $9
            subu $t3, $t3, $t1
            bltz $t3, sleep_wait
            nop
            mtc0 $zero, $12
            b sleep_next
            addiu $s0, $s0, -1
        sleep_done:
            lw $s0, 8($sp)
            lw $ra, 12($sp)
            jr $ra
            addiu $sp, $sp, 16

        .align 2
        con_last: .half 0
        net_last: .half 0
        .align 2
        frame:
            .byte 0,0,0,0,0,0,0,0,0,0,0,0
            .byte 0xff,0xff,0xff,0xff,0xff,0xff
            .byte 0,0,0,0,0,0
            .byte 0x88,0xb5
        msg_fatal: .asciz "guest: unexpected exception\n"
        msg_init: .asciz "guest: virtio initialisation failed\n"
        msg_done: .asciz "guest: script done\n"
        msg_req: .asciz "> "
        msg_rep: .asciz "< "
        msg_noreply: .asciz "(no reply)\n"
        msg_tx: .asciz "> frame: "
        msg_rx: .asciz "< frame of "
        msg_bytes: .asciz " bytes: "
        msg_nl: .asciz "\n"
        msg_sleep: .asciz "sleeping "
        msg_s: .asciz " s\n"
        msg_probe: .asciz "probing the Wi-Fi NIC registers at 0x08000000 directly\n"
        msg_probed: .asciz "the NIC store went through\n"
        @DATA@
        """;
}
