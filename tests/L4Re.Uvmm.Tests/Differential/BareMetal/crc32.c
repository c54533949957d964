/* Table-driven CRC-32 (IEEE 802.3) over a generated 64 KiB buffer. */
static unsigned int table[256];
static unsigned char data[65536];

unsigned int main(void)
{
    for (unsigned int i = 0; i < 256; i++) {
        unsigned int c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    unsigned int x = 12345;
    for (unsigned int i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (unsigned char)(x >> 16);
    }
    unsigned int crc = 0xffffffffu;
    for (unsigned int i = 0; i < sizeof data; i++)
        crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}
