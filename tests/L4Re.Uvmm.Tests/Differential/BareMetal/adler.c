/* Adler-32 and a Fletcher-16 checksum with modulo arithmetic (DIVU through the compiler's constant division). */
static unsigned char buf[50000];

unsigned int main(void)
{
    for (int i = 0; i < 50000; i++)
        buf[i] = (unsigned char)((i * i) >> 3);
    unsigned int a = 1, b = 0;
    for (int i = 0; i < 50000; i++) {
        a = (a + buf[i]) % 65521;
        b = (b + a) % 65521;
    }
    unsigned int s1 = 0, s2 = 0;
    for (int i = 0; i < 50000; i++) {
        s1 = (s1 + buf[i]) % 255;
        s2 = (s2 + s1) % 255;
    }
    volatile unsigned int m = 977;
    unsigned int q = 0;
    for (int i = 1; i < 500; i++)
        q += (unsigned int)(i * 7919) / m + (unsigned int)(-i * 31) % m + (unsigned int)((-i * 17) / (int)m);
    return (b << 16 | a) ^ (s2 << 8 | s1) ^ q;
}
