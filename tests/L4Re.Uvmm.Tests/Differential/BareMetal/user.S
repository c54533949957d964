/* Kernel → user mode with ERET, user-mode arithmetic and a load through a TLB mapping, SYSCALL back to the
   kernel, which reads EPC/Cause and returns. */
    .set noreorder
    .set noat

    .section .vectors, "ax"
    j handler
    nop
    .org 0x180
    j handler
    nop

    .text
handler:
    mfc0 $k0, $13
    andi $k0, $k0, 0x7c
    mfc0 $k1, $14
    addu $s6, $s6, $k0
    addu $s7, $s7, $k1
    li $k0, 8 << 2
    mfc0 $k1, $13
    andi $k1, $k1, 0x7c
    bne $k0, $k1, 1f
    nop
    # SYSCALL: back to kernel mode at kernel_return
    la $k0, kernel_return
    mtc0 $k0, $14
    li $k1, 0x00000002          # EXL = 1, KSU = kernel
    mtc0 $k1, $12
    ehb
    eret
1:  mfc0 $k1, $14
    addiu $k1, $k1, 4
    mtc0 $k1, $14
    ehb
    eret

    .globl main
main:
    move $s5, $ra
    la $t0, 0x80000000
    mtc0 $t0, $15, 1
    mtc0 $zero, $12
    ehb
    # Map user VA 0x00400000 (code, even page) and 0x00401000 (data, odd page): both dirty, ASID 3.
    li $t0, 0x00400003
    mtc0 $t0, $10
    la $t1, user_page
    li $t2, 0x1fffffff
    and $t1, $t1, $t2
    srl $t1, $t1, 12
    sll $t1, $t1, 6
    ori $t3, $t1, 0x1e
    mtc0 $t3, $2
    addiu $t1, $t1, 1 << 6
    ori $t3, $t1, 0x1e
    mtc0 $t3, $3
    mtc0 $zero, $5
    mtc0 $zero, $0
    ehb
    tlbwi
    li $t0, 0x00400000
    mtc0 $t0, $14               # EPC = user entry
    li $t0, 0x00000012          # KSU = user, EXL = 1
    mtc0 $t0, $12
    ehb
    eret
kernel_return:
    mtc0 $zero, $12
    ehb
    move $ra, $s5
    jr $ra
    addu $v0, $s0, $s1

    .data
    .align 12
user_page:                      # runs at VA 0x00400000 in user mode
    li $s0, 40
    li $s1, 2
    addu $s0, $s0, $s1
    lui $t4, 0x0040
    lw $s2, 0x1000($t4)         # data page
    sw $s0, 0x1004($t4)
    lw $s3, 0x1004($t4)
    mfc0 $s4, $12               # privileged in user mode: coprocessor unusable, skipped by the handler
    syscall
    .align 12
    .word 0xfeedface, 0
