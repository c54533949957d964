/* Every branch and jump, taken and not taken, with delay slots; branch-likely annulment; links. */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    move $t9, $ra
    li $t0, -1
    li $t1, 1
    li $v0, 0
    beq $t0, $t1, 1f
    addiu $v0, $v0, 1        # slot of a not-taken branch executes
1:  bne $t0, $t1, 2f
    addiu $v0, $v0, 2
    addiu $v0, $v0, 1000     # skipped
2:  blez $t0, 3f
    addiu $v0, $v0, 4
    addiu $v0, $v0, 1000
3:  bgtz $t0, 4f
    addiu $v0, $v0, 8
4:  bltz $t1, 5f
    addiu $v0, $v0, 16
5:  bgez $t1, 6f
    addiu $v0, $v0, 32
    addiu $v0, $v0, 1000
6:  beql $t0, $t1, 7f
    addiu $v0, $v0, 1000     # annulled
7:  bnel $t0, $t1, 8f
    addiu $v0, $v0, 64
    addiu $v0, $v0, 1000
8:  blezl $t1, 9f
    addiu $v0, $v0, 1000
9:  bgtzl $t1, 10f
    addiu $v0, $v0, 128
    addiu $v0, $v0, 1000
10: bltzl $t1, 11f
    addiu $v0, $v0, 1000
11: bgezl $t0, 12f
    addiu $v0, $v0, 1000
12: bltzal $t0, 13f
    addiu $v0, $v0, 256
    addiu $v0, $v0, 1000
13: move $s0, $ra
    bgezal $t0, 14f
    addiu $v0, $v0, 512
14: move $s1, $ra
    bltzall $t1, 15f
    addiu $v0, $v0, 1000
15: move $s2, $ra
    bgezall $t1, 16f
    addiu $v0, $v0, 1024
    addiu $v0, $v0, 1000
16: move $s3, $ra
    jal sub
    addiu $v0, $v0, 2048
    la $t2, sub2
    jalr $s4, $t2
    addiu $v0, $v0, 4096
    la $t3, 17f
    jr $t3
    addiu $v0, $v0, 8192
    addiu $v0, $v0, 1000
17: j 18f
    addiu $v0, $v0, 16384
    addiu $v0, $v0, 1000
18: bal 19f
    nop
19: move $s5, $ra
    move $ra, $t9
    jr $ra
    nop
sub:
    jr $ra
    addiu $v1, $v1, 3
sub2:
    jr $s4
    addiu $v1, $v1, 5
