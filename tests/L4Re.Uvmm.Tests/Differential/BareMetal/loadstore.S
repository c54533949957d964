/* Byte/half/word loads and stores with sign and zero extension, and LWL/LWR/SWL/SWR at every offset. */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    la $a0, buf
    li $t0, 0x80c1d2e3
    sw $t0, 0($a0)
    li $t0, 0xf4a5b6c7
    sw $t0, 4($a0)
    lb $s0, 0($a0)
    lbu $s1, 3($a0)
    lh $s2, 2($a0)
    lhu $s3, 6($a0)
    lw $s4, 4($a0)
    li $t1, 0x11223344
    sb $t1, 9($a0)
    sh $t1, 10($a0)
    lw $s5, 8($a0)
    li $t2, 0xaabbccdd
    li $t3, 0
    lwl $t3, 0($a0)
    lwr $t3, 0($a0)
    li $t4, 0x55555555
    lwl $t4, 1($a0)
    li $t5, 0x55555555
    lwr $t5, 1($a0)
    li $t6, 0x55555555
    lwl $t6, 2($a0)
    li $t7, 0x55555555
    lwr $t7, 2($a0)
    li $t8, 0x55555555
    lwl $t8, 3($a0)
    li $t9, 0x55555555
    lwr $t9, 3($a0)
    lwr $k0, 5($a0)
    lwl $k0, 8($a0)
    swl $t2, 16($a0)
    swr $t2, 21($a0)
    swl $t2, 26($a0)
    swr $t2, 31($a0)
    swl $t2, 35($a0)
    swr $t2, 38($a0)
    lw $s6, 16($a0)
    lw $s7, 20($a0)
    lw $a1, 24($a0)
    lw $a2, 28($a0)
    lw $a3, 32($a0)
    lw $v1, 36($a0)
    jr $ra
    lw $v0, 40($a0)

    .data
    .align 4
buf:
    .word 0, 0, 0, 0, 0x01010101, 0x02020202, 0x03030303, 0x04040404, 0x05050505, 0x06060606, 0x07070707
