/* Guest TLB programming: TLBWI of two pairs (4 KiB and 1 MiB pages, a global and an ASID entry, a clean page),
   mapped loads and stores, TLBP hits and misses, TLBR read-back, an ASID switch, a TLB modified exception. */
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
    addu $fp, $fp, $k0          # fold exception codes into $fp
    mfc0 $k1, $8
    addu $fp, $fp, $k1
    mfc0 $k1, $14
    addiu $k1, $k1, 4
    mtc0 $k1, $14
    ehb
    eret

    .globl main
main:
    la $t0, 0x80000000
    mtc0 $t0, $15, 1
    mtc0 $zero, $12
    mtc0 $zero, $6              # Wired
    ehb
    # Entry 1: VA 0x00400000/0x00401000 (ASID 9) → PA 0x00600000 (dirty) / 0x00601000 (clean)
    li $t0, 0x00400009
    mtc0 $t0, $10
    li $t0, (0x00600000 >> 12) << 6 | 0x1e
    mtc0 $t0, $2
    li $t0, (0x00601000 >> 12) << 6 | 0x1a
    mtc0 $t0, $3
    mtc0 $zero, $5
    li $t0, 1
    mtc0 $t0, $0
    ehb
    tlbwi
    # Entry 7: global 1 MiB pages: VA 0x10000000 → PA 0x00800000, 0x10100000 → PA 0x00900000
    li $t0, 0x10000000
    mtc0 $t0, $10
    li $t0, (0x00800000 >> 12) << 6 | 0x1f
    mtc0 $t0, $2
    li $t0, (0x00900000 >> 12) << 6 | 0x1f
    mtc0 $t0, $3
    li $t0, 0x001fe000
    mtc0 $t0, $5
    li $t0, 7
    mtc0 $t0, $0
    ehb
    tlbwi
    mtc0 $zero, $5
    li $t0, 9
    mtc0 $t0, $10               # ASID 9
    ehb
    # Write through the mappings, read back through kseg0.
    li $a0, 0x00400010
    li $t1, 0x11111111
    sw $t1, 0($a0)
    li $a1, 0x10000020
    li $t2, 0x22222222
    sw $t2, 0($a1)
    li $a2, 0x10100040
    li $t3, 0x33333333
    sw $t3, 0($a2)
    li $t4, 0x80600010
    lw $s0, 0($t4)
    li $t4, 0x80800020
    lw $s1, 0($t4)
    li $t4, 0x80900040
    lw $s2, 0($t4)
    li $a3, 0x00401000
    lw $s3, 0($a3)
    sw $s3, 0($a3)              # clean page: TLB modified exception
    # TLBP hit and miss, TLBR read-back
    li $t0, 0x00400009
    mtc0 $t0, $10
    ehb
    tlbp
    ehb
    mfc0 $s4, $0
    li $t0, 0x00500009
    mtc0 $t0, $10
    ehb
    tlbp
    ehb
    mfc0 $s5, $0
    li $t0, 7
    mtc0 $t0, $0
    ehb
    tlbr
    ehb
    mfc0 $s6, $10
    mfc0 $s7, $2
    mfc0 $t5, $3
    mfc0 $t6, $5
    # ASID 10: the ASID entry misses (refill), the global entry still hits
    li $t0, 10
    mtc0 $t0, $10
    ehb
    lw $t7, 0($a0)
    lw $t8, 0($a1)
    mtc0 $zero, $5
    jr $ra
    move $v0, $fp
