/* Exceptions taken through RAM vectors (Status.BEV = 0, EBase = 0x80000000): SYSCALL, BREAK, traps, overflow,
   address errors, reserved instruction, coprocessor unusable, TLB refill, a delay-slot exception and a
   software interrupt. The handler logs Cause (BD, CE, ExcCode), EPC, BadVAddr and BadInstr, then resumes. */
    .set noreorder
    .set noat

    .section .vectors, "ax"
    .globl refill_vector
refill_vector:                  # 0x80000000
    j handler
    nop
    .org 0x180
general_vector:                 # 0x80000180
    j handler
    nop

    .text
handler:
    la $k1, logp
    lw $k0, 0($k1)
    mfc0 $k1, $13
    li $at, 0xb000007c
    and $k1, $k1, $at
    sw $k1, 0($k0)
    mfc0 $k1, $14
    sw $k1, 4($k0)
    mfc0 $k1, $8
    sw $k1, 8($k0)
    mfc0 $k1, $8, 1
    sw $k1, 12($k0)
    addiu $k0, $k0, 16
    la $k1, logp
    sw $k0, 0($k1)
    mfc0 $k0, $13
    andi $k1, $k0, 0x7c
    bnez $k1, 1f                # not an interrupt: skip the faulting instruction
    nop
    mtc0 $zero, $13             # interrupt: clear the software request, return to EPC
    ehb
    eret
1:  mfc0 $k1, $14
    bltz $k0, 2f                # Cause.BD: skip the branch and its slot
    addiu $k1, $k1, 4
    addiu $k1, $k1, 4
2:  mtc0 $k1, $14
    ehb
    eret

    .globl main
main:
    la $t0, 0x80000000
    mtc0 $t0, $15, 1            # EBase
    mtc0 $zero, $12             # Status: BEV = ERL = EXL = 0, kernel mode, interrupts off
    ehb
    li $t1, 0x7fffffff
    syscall
    break 5
    teq $zero, $zero
    tgei $t1, 1
    add $t2, $t1, $t1
    addi $t3, $t1, 1
    la $t4, word
    lw $t5, 1($t4)
    sh $t5, 3($t4)
    .word 0xfc000000            # SD: reserved on MIPS32
    .word 0xc5800000            # lwc1 $f0, 0($t4): coprocessor 1 unusable
    li $t6, 0x00400000
    lw $t7, 0($t6)              # kuseg without a TLB entry: refill
    beq $zero, $zero, 3f
    syscall                     # in the delay slot
3:  li $t8, 0x00000101          # IM0 + IE
    mtc0 $t8, $12
    li $t9, 0x00000100          # Cause.IP0: software interrupt
    mtc0 $t9, $13
    ehb
    nop
    mtc0 $zero, $12
    ehb
    # Fold the log into registers.
    la $a0, log
    la $a1, logp
    lw $a1, 0($a1)
    li $v0, 0
4:  lw $a2, 0($a0)
    addu $v0, $v0, $a2
    sll $v0, $v0, 1
    addiu $a0, $a0, 4
    bne $a0, $a1, 4b
    nop
    la $a0, log
    lw $s0, 0($a0)
    lw $s1, 20($a0)
    lw $s2, 52($a0)
    lw $s3, 100($a0)
    lw $s4, 164($a0)
    lw $s5, 168($a0)
    lw $s6, 180($a0)
    lw $s7, 184($a0)
    # $k0/$k1 held raw Cause values: QEMU's Malta raises IP2 at its own pace, so do not compare them.
    move $k0, $zero
    jr $ra
    move $k1, $zero

    .data
    .align 4
word: .word 0x12345678, 0
logp: .word log
log:  .space 512
